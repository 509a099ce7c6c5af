package io.migrationrunbook.kafka;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(KafkaExtension.class)
class OffsetsReaderTest {

    @Test
    void readsCommittedLogEndLagAndMembershipPerPartition(KafkaBroker kafka) throws Exception {
        String topic = "reader-orders";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 3);
        KafkaCluster cluster = KafkaCluster.plaintext(kafka.bootstrapServers());
        try (TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), "reader-group", topic);
             Admin admin = cluster.openAdmin()) {
            producer.send(30);
            OffsetsReader reader = new OffsetsReader(cluster, admin);
            GroupSnapshot snapshot = awaitNoLag(reader, "reader-group", 30);
            assertThat(snapshot.state()).isEqualTo("STABLE");
            assertThat(snapshot.type()).isEqualTo("CLASSIC");
            assertThat(snapshot.members()).isEqualTo(1);
            assertThat(snapshot.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.assigned()).isTrue());

            consumer.pause();
            Thread.sleep(300);
            producer.send(12);
            GroupSnapshot paused = reader.read("reader-group");
            assertThat(paused.totalLag()).isEqualTo(12);
            assertThat(paused.partitions().stream().mapToLong(PartitionOffsets::logEnd).sum()).isEqualTo(42);
        }
    }

    @Test
    void anUnknownGroupIsAConfigurationErrorNamingIt(KafkaBroker kafka) {
        KafkaCluster cluster = KafkaCluster.plaintext(kafka.bootstrapServers());
        try (Admin admin = cluster.openAdmin()) {
            assertThatThrownBy(() -> new OffsetsReader(cluster, admin).read(List.of("no-such-group")))
                    .isInstanceOf(RunbookException.class)
                    .hasMessageContaining("no-such-group")
                    .hasMessageContaining("kafka-consumer-groups.sh --list")
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION));
        }
    }

    @Test
    void anUnreachableBrokerIsAnEnvironmentError() {
        KafkaCluster cluster = KafkaCluster.plaintext("localhost:1").withRequestTimeout(Duration.ofMillis(1500));
        assertThatThrownBy(cluster::openAdmin)
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("Cannot reach the Kafka cluster at localhost:1 within 1500 ms")
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT));
    }

    static GroupSnapshot awaitNoLag(OffsetsReader reader, String group, long expectedLogEnd) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                GroupSnapshot snapshot = reader.read(group);
                long logEnd = snapshot.partitions().stream().mapToLong(PartitionOffsets::logEnd).sum();
                if (snapshot.isStableWithMembers() && logEnd >= expectedLogEnd && snapshot.totalLag() == 0) {
                    return snapshot;
                }
            } catch (RunbookException notYet) {
                // the group appears with the first join
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("group " + group + " did not catch up within 20 s");
            }
            Thread.sleep(100);
        }
    }
}
