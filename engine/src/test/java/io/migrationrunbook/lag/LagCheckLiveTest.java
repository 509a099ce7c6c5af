package io.migrationrunbook.lag;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.kafka.KafkaCluster;
import io.migrationrunbook.kafka.TestConsumer;
import io.migrationrunbook.kafka.TestProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lag check on a real broker: a consumer too slow for the deadline fails early; a group reset backwards while
 * it is sampled is REWIND; nothing to check is exit 2.
 */
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

    /**
     * Offsets reset backwards between two samples (Admin.alterConsumerGroupOffsets on the EMPTY group, as
     * kafka-consumer-groups --reset-offsets does): partition 0 had lag all along, partition 1 had caught up (lag 0)
     * before its reset — Burrow's "lag 0 anywhere in the window is OK" would hide that one — and partition 2 is left
     * alone. The onSample hook acts after the 2nd sample, so the 3rd (the first full window) sees the reset.
     */
    @Test
    void offsetsResetBackwardsWhileSampledAreRewindAndFailTheCheckNamingPartitionsAndOffsets(KafkaBroker kafka) throws Exception {
        String topic = "lag-rewind";
        String group = "lag-rewind-group";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 3);
        try (TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic)) {
            producer.send(600);
        }
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicPartition p0 = new TopicPartition(topic, 0);
            TopicPartition p1 = new TopicPartition(topic, 1);
            TopicPartition p2 = new TopicPartition(topic, 2);
            Map<TopicPartition, Long> logEnd = admin.listOffsets(Map.of(p0, OffsetSpec.latest(), p1, OffsetSpec.latest(),
                    p2, OffsetSpec.latest())).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            assertThat(logEnd.values()).as("records on every partition").allMatch(end -> end >= 50);
            long p0Before = logEnd.get(p0) - 20;
            long p1Before = logEnd.get(p1);
            long p2Committed = logEnd.get(p2) - 5;
            commit(admin, group, Map.of(p0, p0Before, p1, p1Before, p2, p2Committed));

            AtomicInteger samples = new AtomicInteger();
            LagCheckResult result = CheckConsumerLag.on(KafkaCluster.plaintext(kafka.bootstrapServers())).group(group)
                    .maxLag(0L).samples(3).interval(Duration.ofMillis(300)).deadline(Duration.ofSeconds(60))
                    .onSample((at, lag) -> {
                        if (samples.incrementAndGet() == 2) {
                            commit(admin, group, Map.of(p0, 10L, p1, 7L));
                        }
                    })
                    .execute();

            assertThat(result.passed()).isFalse();
            assertThat(result.outcome()).isEqualTo("REWOUND");
            assertThat(result.samplesTaken()).as("decided on the first full window").isEqualTo(3);
            GroupLagEvaluation evaluation = result.groups().get(0);
            assertThat(evaluation.status()).isEqualTo(PartitionStatus.REWIND);
            assertThat(evaluation.burrowStatus()).isEqualTo("ERR");
            assertThat(evaluation.verdict()).isEqualTo(DrainVerdict.REWOUND);
            Map<Integer, PartitionLag> byPartition = new HashMap<>();
            evaluation.partitions().forEach(p -> byPartition.put(p.partition(), p));
            assertThat(byPartition.get(0).status()).isEqualTo(PartitionStatus.REWIND);
            assertThat(byPartition.get(0).committed()).isEqualTo(10L);
            assertThat(byPartition.get(1).status()).as("caught up, then reset: still a rewind").isEqualTo(PartitionStatus.REWIND);
            assertThat(byPartition.get(1).lag()).isEqualTo(logEnd.get(p1) - 7);
            assertThat(byPartition.get(2).status()).isEqualTo(PartitionStatus.STOP);
            assertThat(result.reason())
                    .startsWith(group + ": committed offsets went backwards on 2 partition(s)")
                    .contains("lag-rewind-0 from " + p0Before + " to 10")
                    .contains("lag-rewind-1 from " + p1Before + " to 7")
                    .doesNotContain("lag-rewind-2");
        }
    }

    private static void commit(Admin admin, String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
        try {
            admin.alterConsumerGroupOffsets(group, commits).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot commit " + offsets + " for " + group, e);
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
