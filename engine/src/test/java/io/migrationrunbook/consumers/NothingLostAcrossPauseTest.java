package io.migrationrunbook.consumers;

import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.core.Progress;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property that matters: with events produced at a steady rate while the demo's consumers are paused, a schema
 * change runs and the consumers are resumed, every event is processed exactly once and the lag check passes — with
 * both consumer group protocols.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class NothingLostAcrossPauseTest {

    @ParameterizedTest
    @EnumSource(DemoConfig.GroupProtocol.class)
    void everyEventIsProcessedExactlyOnceAcrossPauseMigrationAndResume(DemoConfig.GroupProtocol protocol, TestDatabase db,
                                                                       KafkaBroker kafka, @TempDir Path dir) throws Exception {
        DemoPauseCycle demo = new DemoPauseCycle(db, kafka, protocol, dir, 50);
        try {
            demo.awaitSteadyState(50);
            DemoPauseCycle.Figures figures = demo.cycle("1s", dir.resolve("run"));

            assertThat(figures.pause().groups().get(0).controllerStatus()).isEqualTo("PAUSED");
            assertThat(figures.pause().groups().get(0).state()).isEqualTo("STABLE");
            assertThat(figures.resume().outcome()).isEqualTo("RESUMED");
            assertThat(figures.lag().passed()).as(figures.lag().reason()).isTrue();

            DeliveryVerifier.DeliveryReport report = demo.stopAndCount();
            assertThat(report.exactlyOnce()).as(report.toString()).isTrue();
            assertThat(report.duplicates()).isZero();
            assertThat(report.lost()).isZero();
            System.out.printf("%s: %s; pause verified in %s, pause window %s (migration %s)%n", protocol, report,
                    Progress.format(figures.pauseVerified()), Progress.format(figures.pauseWindow()), Progress.format(figures.migration()));
        } finally {
            demo.close();
        }
    }
}
