package io.migrationrunbook.cli;

import io.migrationrunbook.embedded.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SASL password of the consumers configuration, against a real broker's SASL_PLAINTEXT listener: a wrong password
 * and an unknown group fail with their usual exit codes, and the password is in none of stdout (the JSON result),
 * stderr, the process's log output, or the pause state. Each password is unique to its test so a hit cannot come from
 * another test.
 */
class KafkaSecretsCliTest {

    static final String PASSWORD = "alice-Cli-Pa55-" + Long.toHexString(System.nanoTime());
    static KafkaBroker broker;

    @BeforeAll
    static void startBrokerWithSasl() {
        broker = KafkaBroker.startWithSasl(Map.of("alice", PASSWORD));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Path consumersYaml(Path dir, String password, String group) throws IOException {
        Path secret = Files.writeString(dir.resolve("kafka-password"), password + "\n");
        return Files.writeString(dir.resolve("consumers.yaml"), """
                kafka:
                  bootstrapServers: %s
                  requestTimeout: 30s
                  security:
                    protocol: SASL_PLAINTEXT
                    sasl: {mechanism: PLAIN, username: alice, password: {file: %s}}
                verification: {quietWindow: 1s, pollInterval: 100ms, pauseTimeout: 10s, resumeTimeout: 10s}
                lag: {samples: 2, interval: 200ms, deadline: 10s}
                controllers:
                  - name: persistence
                    type: http
                    groups: [%s]
                    pause:  {method: PUT, url: "http://localhost:1/ops/control", body: {mode: paused}}
                    resume: {method: PUT, url: "http://localhost:1/ops/control", body: {mode: normal}}
                """.formatted(broker.saslBootstrapServers(), secret, group));
    }

    /** Every file written under {@code dir} except the secret file itself. */
    private static String writtenFiles(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("kafka-password")).toList()) {
                text.append(Files.readString(file)).append('\n');
            }
        }
        return text.toString();
    }

    @Test
    void aWrongPasswordIsExit3AndShowsTheGivenPasswordNowhere(@TempDir Path dir) throws Exception {
        String wrong = "wrong-Cli-Secret-" + Long.toHexString(System.nanoTime());
        Path config = consumersYaml(dir, wrong, "some-group");
        CliRun pause;
        CliRun lag;
        String logs;
        try (SecretsAndBadPlansTest.CapturedStreams captured = new SecretsAndBadPlansTest.CapturedStreams()) {
            pause = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", dir.resolve("run").toString(), "--json");
            lag = CliRun.of("lag", "--consumers", config.toString(), "--max-lag", "0", "--json");
            logs = captured.text();
        }

        for (CliRun run : new CliRun[] {pause, lag}) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
            assertThat(run.json().get("error").get("message").asText()).contains("rejected the credentials");
            assertThat(run.out()).doesNotContain(wrong).doesNotContain(PASSWORD);
            assertThat(run.err()).doesNotContain(wrong).doesNotContain(PASSWORD);
        }
        assertThat(logs).doesNotContain(wrong).doesNotContain(PASSWORD);
        assertThat(writtenFiles(dir)).doesNotContain(wrong);
    }

    @Test
    void anUnknownGroupWithTheRightPasswordIsExit2AndShowsThePasswordNowhere(@TempDir Path dir) throws Exception {
        Path config = consumersYaml(dir, PASSWORD, "no-such-group");
        CliRun pause;
        CliRun lag;
        String logs;
        try (SecretsAndBadPlansTest.CapturedStreams captured = new SecretsAndBadPlansTest.CapturedStreams()) {
            pause = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", dir.resolve("run").toString(), "--json");
            lag = CliRun.of("lag", "--consumers", config.toString(), "--max-lag", "0", "--json");
            logs = captured.text();
        }

        for (CliRun run : new CliRun[] {pause, lag}) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.json().get("error").get("message").asText()).contains("Consumer group not found").contains("no-such-group");
        }
        for (CliRun run : new CliRun[] {pause, lag}) {
            assertThat(run.out()).doesNotContain(PASSWORD);
            assertThat(run.err()).doesNotContain(PASSWORD);
        }
        assertThat(logs).doesNotContain(PASSWORD);
        assertThat(writtenFiles(dir)).doesNotContain(PASSWORD);
    }
}
