package io.migrationrunbook.kafka;

import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SASL/PLAIN and SCRAM credentials from the configuration against a real broker's SASL_PLAINTEXT listener. */
class KafkaSecurityTest {

    static final String PLAIN_PASSWORD = "alice-Pa55";
    static final String SCRAM_PASSWORD = "bob-Scr4m";
    static KafkaBroker broker;

    @BeforeAll
    static void startBrokerWithSasl() throws Exception {
        broker = KafkaBroker.startWithSasl(Map.of("alice", PLAIN_PASSWORD));
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), SCRAM_PASSWORD))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static KafkaCluster cluster(Path dir, String mechanism, String user, String password) throws Exception {
        Path secret = Files.writeString(dir.resolve("kafka-password-" + user), password + "\n");
        return ConsumersConfig.parse(Json.yaml().readTree("""
                kafka:
                  bootstrapServers: %s
                  requestTimeout: 30s
                  security:
                    protocol: SASL_PLAINTEXT
                    sasl: {mechanism: %s, username: %s, password: {file: %s}}
                controllers:
                  - {name: m, type: manual, groups: [g]}
                """.formatted(broker.saslBootstrapServers(), mechanism, user, secret))).kafka();
    }

    @Test
    void plainCredentialsFromASecretFileAuthenticate(@TempDir Path dir) throws Exception {
        KafkaCluster cluster = cluster(dir, "PLAIN", "alice", PLAIN_PASSWORD);
        try (Admin admin = cluster.openAdmin()) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        assertThat(Json.write(cluster)).doesNotContain(PLAIN_PASSWORD);
    }

    @Test
    void scramCredentialsAuthenticate(@TempDir Path dir) throws Exception {
        KafkaCluster cluster = cluster(dir, "SCRAM-SHA-256", "bob", SCRAM_PASSWORD);
        long deadline = System.currentTimeMillis() + 60_000; // generous: a loaded machine applies the metadata log slowly
        while (true) { // the SCRAM user reaches the broker through the metadata log
            try (Admin admin = cluster.openAdmin()) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(1);
                return;
            } catch (RunbookException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void aPasswordOfSeveralLinesIsNeitherQuotedBackByKafkasJaasParserNorShownInTheError(@TempDir Path dir) throws Exception {
        // Unescaped, the line break ended the JAAS string and Kafka answered "Value not specified for key '<line 2>'".
        KafkaCluster cluster = cluster(dir, "PLAIN", "alice", "first-Line-Secret\nsecond-Line-Secret");
        assertThatThrownBy(cluster::openAdmin)
                .isInstanceOfSatisfying(RunbookException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT);
                    assertThat(e.getMessage()).contains("rejected the credentials");
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).doesNotContain("first-Line-Secret").doesNotContain("second-Line-Secret");
                });
    }

    @Test
    void aWrongPasswordIsAnEnvironmentErrorThatDoesNotShowIt(@TempDir Path dir) throws Exception {
        KafkaCluster cluster = cluster(dir, "PLAIN", "alice", "wrong-Secret-42");
        assertThatThrownBy(cluster::openAdmin)
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("rejected the credentials")
                .hasMessageNotContaining("wrong-Secret-42")
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT));
    }
}
