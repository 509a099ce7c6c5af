package io.migrationrunbook.consumers;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pause window on the demo workload (50 events/s): from pause requested to resume verified, minus the
 * migration's own time, over several cycles per group protocol and quiet window. Prints figures; no timed assertion.
 * {@code mvn -B -q -pl engine -am test -Dtest=PauseWindowBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (output in engine/target/surefire-reports/io.migrationrunbook.consumers.PauseWindowBenchmark-output.txt).
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class PauseWindowBenchmark {

    static final int CYCLES = 3;

    @ParameterizedTest
    @EnumSource(DemoConfig.GroupProtocol.class)
    void pauseWindowOnTheDemoWorkload(DemoConfig.GroupProtocol protocol, TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        DemoPauseCycle demo = new DemoPauseCycle(db, kafka, protocol, dir, 50);
        try {
            demo.awaitSteadyState(50);
            for (String quiet : List.of("500ms", "1s")) {
                List<Duration> windows = new ArrayList<>();
                for (int i = 0; i < CYCLES; i++) {
                    DemoPauseCycle.Figures f = demo.cycle(quiet, dir.resolve("run-" + quiet + "-" + i));
                    assertThat(f.lag().passed()).as(f.lag().reason()).isTrue();
                    windows.add(f.windowMinusMigration());
                    System.out.printf("%s quiet %s cycle %d: pause verified %s, migration %s, resume verified %s, "
                                    + "window %s, window minus migration %s%n", protocol, quiet, i, Progress.format(f.pauseVerified()),
                            Progress.format(f.migration()), Progress.format(f.resume().elapsed()), Progress.format(f.pauseWindow()),
                            Progress.format(f.windowMinusMigration()));
                    demo.awaitSteadyState(50);
                }
                windows.sort(null);
                System.out.printf("PAUSE WINDOW %s quiet %s: median %s, max %s over %d cycles (window minus migration)%n", protocol,
                        quiet, Progress.format(windows.get(windows.size() / 2)), Progress.format(windows.get(windows.size() - 1)), CYCLES);
            }
            DeliveryVerifier.DeliveryReport report = demo.stopAndCount();
            System.out.printf("%s: %s%n", protocol, report);
            assertThat(report.exactlyOnce()).as(report.toString()).isTrue();
        } finally {
            demo.close();
        }
    }
}
