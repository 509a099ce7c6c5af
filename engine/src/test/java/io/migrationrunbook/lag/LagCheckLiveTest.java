package io.migrationrunbook.lag;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.kafka.KafkaCluster;
import io.migrationrunbook.kafka.TestConsumer;
import io.migrationrunbook.kafka.TestProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lag check on a real broker: a consumer too slow for the deadline fails early; nothing to check is exit 2. */
@ExtendWith(KafkaExtension.class)
class LagCheckLiveTest {

    @Test
    void aConsumerTooSlowForTheDeadlineFailsEarlyWithItsEstimate(KafkaBroker kafka) throws Exception {
        String topic = "lag-slow";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 1);
        try (TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), "lag-slow-group", topic).slowedBy(10)) {
            producer.send(5000); // about 100 records/s: some 50 s of work
            long deadline = System.currentTimeMillis() + 20_000;
            while (consumer.consumed() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Duration allowed = Duration.ofSeconds(20);
            LagCheckResult result = CheckConsumerLag.on(KafkaCluster.plaintext(kafka.bootstrapServers())).group("lag-slow-group")
                    .maxLag(0L).samples(4).interval(Duration.ofMillis(500)).deadline(allowed).execute();

            assertThat(result.passed()).isFalse();
            assertThat(result.outcome()).isEqualTo("CANNOT_MEET_DEADLINE");
            assertThat(result.elapsed()).isLessThan(allowed);
            GroupLagEvaluation group = result.groups().get(0);
            assertThat(group.drainRatePerSecond()).isPositive();
            assertThat(group.estimatedSecondsLeft()).isGreaterThan(20.0);
            assertThat(group.reason()).contains("needs about").contains("but the deadline is in");
        }
    }

    @Test
    void aGroupWithoutBaselineOrThresholdIsAConfigurationError() {
        assertThatThrownBy(() -> CheckConsumerLag.on(KafkaCluster.plaintext("localhost:1")).group("g").execute())
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("No target lag for group 'g'")
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION));
    }
}
