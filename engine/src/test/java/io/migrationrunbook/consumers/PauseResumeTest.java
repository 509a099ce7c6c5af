package io.migrationrunbook.consumers;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.kafka.TestConsumer;
import io.migrationrunbook.kafka.TestProducer;
import io.migrationrunbook.lag.CheckConsumerLag;
import io.migrationrunbook.lag.LagCheckResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pause and resume against a real broker, a real consumer loop and a real HTTP ops endpoint. */
@ExtendWith(KafkaExtension.class)
class PauseResumeTest {

    static final String TOKEN = "s3cr3t-ops-token";

    /** A consumers configuration for one http controller on {@code endpoint}, with the given verification timings. */
    static ConsumersConfig config(Path dir, String bootstrap, String group, String opsUrl, String timings) throws Exception {
        Path token = dir.resolve("ops-token");
        Files.writeString(token, TOKEN + "\n");
        String yaml = """
                kafka:
                  bootstrapServers: %s
                  requestTimeout: 5s
                verification:
                  %s
                controllers:
                  - name: ingestion
                    type: http
                    groups: [%s]
                    auth: {type: bearer, token: {file: %s}}
                    pause:  {method: PUT, url: %s, body: {mode: paused}}
                    resume: {method: PUT, url: %s, body: '{"mode":"normal"}'}
                    status: {url: %s, pointer: /mode, paused: paused, running: normal}
                """.formatted(bootstrap, timings, group, token, opsUrl, opsUrl, opsUrl);
        Path file = dir.resolve("consumers.yaml");
        Files.writeString(file, yaml);
        return ConsumersConfig.read(file);
    }

    static final String FAST = "{quietWindow: 1s, pollInterval: 100ms, pauseTimeout: 15s, resumeTimeout: 15s}";
    static final String SHORT_TIMEOUT = "{quietWindow: 1s, pollInterval: 100ms, pauseTimeout: 3s, resumeTimeout: 5s}";

    @Test
    void pauseIsVerifiedAndAResumeFromTheStateAloneRestartsConsumptionAndTheLagDrains(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String topic = "pr-verified";
        String group = "pr-verified-group";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 3);
        Path stateDir = dir.resolve("run");
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), group, topic);
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             OpsEndpoint ops = new OpsEndpoint(consumer)) {
            producer.send(30);
            awaitConsumed(consumer, 30);
            producer.stream(200);
            ConsumersConfig config = config(dir, kafka.bootstrapServers(), group, ops.url(), FAST);

            PauseResult paused = PauseConsumers.with(config).stateDir(stateDir).execute();

            assertThat(paused.passed()).as(paused.reason()).isTrue();
            assertThat(paused.outcome()).isEqualTo("PAUSED");
            GroupVerification g = paused.groups().get(0);
            assertThat(g.controllerStatus()).isEqualTo("PAUSED");
            assertThat(g.state()).isEqualTo("STABLE");
            assertThat(g.partitions()).hasSize(3);
            assertThat(ops.requests).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
            assertThat(ops.modesRequested()).containsExactly("{\"mode\":\"paused\"}");

            long consumedAtPause = consumer.consumed();
            Thread.sleep(700);
            assertThat(consumer.consumed()).as("nothing consumed while paused").isEqualTo(consumedAtPause);

            String stateText = Files.readString(stateDir.resolve(PauseState.FILE_NAME));
            assertThat(stateText).doesNotContain(TOKEN).contains("\"status\" : \"PAUSED\"").contains("ops-token");
            PauseState state = PauseState.load(stateDir);
            assertThat(state.baseline().get(group).partitions()).hasSize(3);

            assertThatThrownBy(() -> PauseConsumers.with(config).stateDir(stateDir).execute())
                    .isInstanceOf(RunbookException.class).hasMessageContaining("already paused")
                    .hasMessageContaining("runbook resume --state-dir");

            Thread.sleep(500); // lag builds up while paused

            // "crash": a new instance knows only the state directory
            ResumeResult resumed = ResumeConsumers.from(stateDir).execute();
            assertThat(resumed.passed()).as(resumed.reason()).isTrue();
            assertThat(resumed.outcome()).isEqualTo("RESUMED");
            assertThat(resumed.groups().get(0).reason()).contains("committed offsets advanced");
            assertThat(resumed.pauseWindow()).isPositive();
            assertThat(ops.modesRequested()).containsExactly("{\"mode\":\"paused\"}", "{\"mode\":\"normal\"}");
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.RESUMED);

            ResumeResult again = ResumeConsumers.from(stateDir).execute();
            assertThat(again.passed()).isTrue();
            assertThat(again.outcome()).isEqualTo("ALREADY_RESUMED");
            assertThat(ops.modesRequested()).hasSize(2);

            LagCheckResult lag = CheckConsumerLag.on(config.kafka()).group(group, PauseState.load(stateDir).baselineLag().get(group))
                    .samples(3).interval(Duration.ofMillis(300)).deadline(Duration.ofSeconds(30)).execute();
            assertThat(lag.passed()).as(lag.reason()).isTrue();
            assertThat(lag.groups().get(0).partitions()).hasSize(3);
        }
    }

    @Test
    void aControllerThatClaimsPausedWhileOffsetsKeepMovingFailsVerificationAndIsResumed(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String topic = "pr-liar";
        String group = "pr-liar-group";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 2);
        Path stateDir = dir.resolve("run");
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), group, topic).ignoringPause();
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             OpsEndpoint ops = new OpsEndpoint(consumer).lying()) {
            producer.send(10);
            awaitConsumed(consumer, 10);
            producer.stream(200);

            PauseResult result = PauseConsumers.with(config(dir, kafka.bootstrapServers(), group, ops.url(), SHORT_TIMEOUT))
                    .stateDir(stateDir).execute();

            assertThat(result.passed()).isFalse();
            assertThat(result.outcome()).isEqualTo("NOT_VERIFIED");
            GroupVerification g = result.groups().get(0);
            assertThat(g.controllerStatus()).isEqualTo("PAUSED");
            assertThat(g.verified()).isFalse();
            assertThat(g.reason()).contains("committed offsets still move").contains("→").contains("log end");
            assertThat(g.partitions()).allSatisfy(p -> assertThat(p.committedAfter()).isGreaterThan(p.committedBefore()));
            assertThat(result.resumedAfterFailure()).isTrue();
            assertThat(ops.modesRequested()).containsExactly("{\"mode\":\"paused\"}", "{\"mode\":\"normal\"}");
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.PAUSE_FAILED);
        }
    }

    @Test
    void aPauseTheControllerNeverConfirmsTimesOutAndIsResumedBestEffort(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String topic = "pr-deaf";
        String group = "pr-deaf-group";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 1);
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), group, topic);
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             OpsEndpoint ops = new OpsEndpoint(consumer).deaf()) {
            producer.send(5);
            awaitConsumed(consumer, 5);

            PauseResult result = PauseConsumers.with(config(dir, kafka.bootstrapServers(), group, ops.url(), SHORT_TIMEOUT))
                    .stateDir(dir.resolve("run")).execute();

            assertThat(result.passed()).isFalse();
            assertThat(result.reason()).contains("pause not verified within 3.0 s")
                    .contains("controller 'ingestion' reports RUNNING (/mode = normal)")
                    .contains("Consumers resumed (best effort)");
            assertThat(ops.modesRequested()).containsExactly("{\"mode\":\"paused\"}", "{\"mode\":\"normal\"}");
        }
    }

    @Test
    void anUnknownGroupIsRejectedBeforeAnyControllerIsCalled(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), "pr-unknown-real", "pr-unknown");
             OpsEndpoint ops = new OpsEndpoint(consumer)) {
            ConsumersConfig config = config(dir, kafka.bootstrapServers(), "no-such-group", ops.url(), FAST);
            assertThatThrownBy(() -> PauseConsumers.with(config).stateDir(dir.resolve("run")).execute())
                    .isInstanceOf(RunbookException.class)
                    .hasMessageContaining("no-such-group")
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION));
            assertThat(ops.requests).isEmpty();
            assertThat(dir.resolve("run").resolve(PauseState.FILE_NAME)).doesNotExist();
        }
    }

    @Test
    void anUnreachableBrokerIsAnEnvironmentErrorBeforeAnyControllerIsCalled(@TempDir Path dir) throws Exception {
        try (OpsEndpoint ops = new OpsEndpoint(null)) {
            config(dir, "localhost:1", "g", ops.url(), FAST);
            Path file = dir.resolve("consumers.yaml");
            Files.writeString(file, Files.readString(file).replace("requestTimeout: 5s", "requestTimeout: 1500ms"));
            ConsumersConfig config = ConsumersConfig.read(file);
            assertThatThrownBy(() -> PauseConsumers.with(config).stateDir(dir.resolve("run")).execute())
                    .isInstanceOf(RunbookException.class)
                    .hasMessageContaining("Cannot reach the Kafka cluster at localhost:1 within 1500 ms")
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT));
            assertThat(ops.requests).isEmpty();
            assertThat(dir.resolve("run").resolve(PauseState.FILE_NAME)).doesNotExist();
        }
    }

    @Test
    void aResumeWhoseSecretFileMovedFailsBeforeAnySideEffectAndWorksWithTheCurrentConfiguration(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String topic = "pr-moved";
        String group = "pr-moved-group";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 1);
        Path stateDir = dir.resolve("run");
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), group, topic);
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             OpsEndpoint ops = new OpsEndpoint(consumer)) {
            producer.send(5);
            awaitConsumed(consumer, 5);
            assertThat(PauseConsumers.with(config(dir, kafka.bootstrapServers(), group, ops.url(), FAST)).stateDir(stateDir)
                    .execute().passed()).isTrue();

            Files.delete(dir.resolve("ops-token")); // e.g. a temporary secret file of the pausing process
            assertThatThrownBy(() -> ResumeConsumers.from(stateDir).execute())
                    .isInstanceOf(RunbookException.class).hasMessageContaining("Cannot read the secret file");
            assertThat(ops.modesRequested()).hasSize(1);
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.PAUSED);

            Path elsewhere = Files.createDirectories(dir.resolve("now"));
            ConsumersConfig current = config(elsewhere, kafka.bootstrapServers(), group, ops.url(), FAST);
            ConsumersConfig unrelated = config(Files.createDirectories(dir.resolve("other")), kafka.bootstrapServers(), "other-group",
                    ops.url(), FAST);
            assertThatThrownBy(() -> ResumeConsumers.from(stateDir).config(unrelated).execute())
                    .isInstanceOf(RunbookException.class).hasMessageContaining("does not control [" + group + "]");

            ResumeResult resumed = ResumeConsumers.from(stateDir).config(current).execute();
            assertThat(resumed.passed()).as(resumed.reason()).isTrue();
            assertThat(ops.modesRequested()).containsExactly("{\"mode\":\"paused\"}", "{\"mode\":\"normal\"}");
        }
    }

    @Test
    void resumeWithoutAPauseStateSaysSoClearly(@TempDir Path dir) {
        assertThatThrownBy(() -> ResumeConsumers.from(dir).execute())
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("Nothing to resume: there is no pause state (consumers-state.json) in " + dir);
    }

    @Test
    void aManualControllerAsksAHumanAndKafkaDecides(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String topic = "pr-manual";
        String group = "pr-manual-group";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 1);
        try (TestConsumer consumer = new TestConsumer(kafka.bootstrapServers(), group, topic);
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic)) {
            producer.send(5);
            awaitConsumed(consumer, 5);
            producer.stream(100);
            Path file = dir.resolve("consumers.yaml");
            Files.writeString(file, """
                    kafka: {bootstrapServers: %s}
                    verification: %s
                    controllers:
                      - name: legacy
                        type: manual
                        groups: [%s]
                        pauseInstructions: Scale deployment legacy to 0.
                    """.formatted(kafka.bootstrapServers(), FAST, group));
            java.util.List<String> asked = new java.util.ArrayList<>();
            HumanGate operator = request -> {
                asked.add(request);
                if (request.contains("Scale deployment legacy to 0")) {
                    consumer.pause();
                } else {
                    consumer.resume();
                }
                return true;
            };
            PauseResult paused = PauseConsumers.with(ConsumersConfig.read(file)).stateDir(dir.resolve("run")).humanGate(operator).execute();
            assertThat(paused.passed()).as(paused.reason()).isTrue();
            assertThat(paused.groups().get(0).controllerStatus()).isEqualTo("NOT_REPORTED");
            ResumeResult resumed = ResumeConsumers.from(dir.resolve("run")).humanGate(operator).execute();
            assertThat(resumed.passed()).as(resumed.reason()).isTrue();
            assertThat(asked).hasSize(2);
            assertThat(asked.get(0)).startsWith("[legacy] Scale deployment legacy to 0.");

            // an operator who says no: nothing is claimed paused, the step fails
            Files.delete(dir.resolve("run").resolve(PauseState.FILE_NAME));
            assertThatThrownBy(() -> PauseConsumers.with(ConsumersConfig.read(file)).stateDir(dir.resolve("run"))
                    .humanGate(HumanGate.refuseAll()).execute())
                    .isInstanceOf(RunbookException.class).hasMessageContaining("did not confirm the pause");
        }
    }

    static void awaitConsumed(TestConsumer consumer, long count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (consumer.consumed() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("consumer did not consume " + count + " records within 20 s");
            }
            Thread.sleep(50);
        }
        Thread.sleep(200); // let the commit land
    }
}
