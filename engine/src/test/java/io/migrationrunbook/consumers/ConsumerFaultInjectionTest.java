package io.migrationrunbook.consumers;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.kafka.TestConsumer;
import io.migrationrunbook.kafka.TestProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Fault injection on the consumer controls, with a real broker, a real consumer loop and a real HTTP ops endpoint:
 * the broker stopped during pause verification; a controller answering 500 on resume.
 */
@ExtendWith(KafkaExtension.class)
class ConsumerFaultInjectionTest {

    static final String TIMINGS = "{quietWindow: 2s, pollInterval: 100ms, pauseTimeout: 20s, resumeTimeout: 15s}";

    @Test
    void brokerDownDuringPauseVerificationResumesBestEffortAndFailsWithThePersistedState(@TempDir Path dir) throws Exception {
        String topic = "fault-broker-down";
        String group = "fault-broker-down-group";
        Path stateDir = dir.resolve("run");
        KafkaBroker kafka = KafkaBroker.start(); // private: this test stops it
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 2);
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), group, topic);
             OpsEndpoint ops = new OpsEndpoint(consumer)) {
            try (TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic)) {
                producer.send(20);
                PauseResumeTest.awaitConsumed(consumer, 20);
            }
            PauseResumeTest.config(dir, kafka.bootstrapServers(), group, ops.url(), TIMINGS);
            Path file = dir.resolve("consumers.yaml");
            Files.writeString(file, Files.readString(file).replace("requestTimeout: 5s", "requestTimeout: 2s"));
            ConsumersConfig config = ConsumersConfig.read(file);
            CompletableFuture<Throwable> pause = CompletableFuture.supplyAsync(() ->
                    catchThrowable(() -> PauseConsumers.with(config).stateDir(stateDir).execute()));
            long deadline = System.currentTimeMillis() + 15_000;
            while (ops.modesRequested().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ops.modesRequested()).as("the pause was requested").containsExactly("{\"mode\":\"paused\"}");
            kafka.close(); // the broker goes away while the pause is being verified (quiet window 2 s)

            Throwable failure = pause.get(40, TimeUnit.SECONDS);

            assertThat(failure).isInstanceOf(RunbookException.class);
            assertThat(((RunbookException) failure).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT);
            assertThat(failure.getMessage()).contains("Pause verification failed, so the controllers already asked were resumed (best effort)")
                    .contains(PauseState.file(stateDir).toString());
            assertThat(ops.modesRequested()).as("best-effort resume").containsExactly("{\"mode\":\"paused\"}", "{\"mode\":\"normal\"}");
            assertThat(consumer.pauseRequested()).isFalse();
            PauseState state = PauseState.load(stateDir);
            assertThat(state.status()).isEqualTo(PauseState.PAUSE_FAILED);
            assertThat(state.controller("ingestion").resumeRequested()).isTrue();
        } finally {
            kafka.close();
        }
    }

    @Test
    void aControllerAnswering500OnResumeIsRetriedThenFailsWithTheStatePersistedAndALaterResumeCompletes(KafkaBroker kafka,
                                                                                                          @TempDir Path dir) throws Exception {
        String topic = "fault-resume-500";
        String group = "fault-resume-500-group";
        Path stateDir = dir.resolve("run");
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 2);
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), group, topic);
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             OpsEndpoint ops = new OpsEndpoint(consumer)) {
            producer.send(20);
            PauseResumeTest.awaitConsumed(consumer, 20);
            producer.stream(100);
            ConsumersConfig config = PauseResumeTest.config(dir, kafka.bootstrapServers(), group, ops.url(), PauseResumeTest.FAST);
            assertThat(PauseConsumers.with(config).stateDir(stateDir).execute().passed()).isTrue();
            ops.failResumesWith(500);

            Throwable failure = catchThrowable(() -> ResumeConsumers.from(stateDir).execute());

            assertThat(failure).isInstanceOf(RunbookException.class)
                    .hasMessageContaining("answered HTTP 500 on all " + HttpEndpoint.ATTEMPTS + " attempts")
                    .hasMessageContaining("runbook resume --state-dir " + stateDir);
            assertThat(failure.getMessage()).doesNotContain(PauseResumeTest.TOKEN);
            assertThat(ops.modesRequested()).as("retried").hasSize(1 + HttpEndpoint.ATTEMPTS);
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.RESUME_FAILED);
            assertThat(consumer.effectivelyPaused()).as("still paused: events queue in Kafka").isTrue();

            ops.failResumesWith(0); // the controller is back: `runbook resume --state-dir` completes it
            ResumeResult resumed = ResumeConsumers.from(stateDir).execute();
            assertThat(resumed.passed()).as(resumed.reason()).isTrue();
            assertThat(resumed.outcome()).isEqualTo("RESUMED");
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.RESUMED);

            producer.close();
            PauseResumeTest.awaitConsumed(consumer, producer.produced()); // nothing lost
            assertThat(consumer.consumed()).isGreaterThanOrEqualTo(producer.produced());
        }
    }
}
