package io.migrationrunbook.embedded;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerPortsTest {

    @Test
    void portsHandedOutTogetherNeverRepeat() throws Exception {
        for (int round = 0; round < 200; round++) {
            int[] ports = KafkaBroker.distinctFreePorts(4);
            assertThat(Arrays.stream(ports).distinct().count()).as("ports %s", Arrays.toString(ports)).isEqualTo(4);
        }
    }

    @Test
    void aPortTakenByAnotherProcessIsRecognisedAsRetryable() {
        KafkaException bindFailure = new KafkaException("Socket server failed to bind to localhost:4000: Address already in use.",
                new BindException("Address already in use"));
        assertThat(KafkaBroker.isPortTaken(new RuntimeException("startup", bindFailure))).isTrue();
        assertThat(KafkaBroker.isPortTaken(new IllegalStateException("Kafka storage format failed"))).isFalse();
    }
}
