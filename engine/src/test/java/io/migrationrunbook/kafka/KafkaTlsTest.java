package io.migrationrunbook.kafka;

import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A TLS trust store from the configuration against a real broker's SSL listener (certificates made with keytool). */
class KafkaTlsTest {

    static final String STORE_PASSWORD = "broker-St0re";
    static final String TRUST_PASSWORD = "trust-St0re";
    static Path dir;
    static KafkaBroker broker;

    static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    /** A self-signed certificate for localhost in {@code name}.p12, and a trust store holding it in {@code name}-trust.p12. */
    static void certificate(String name) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", name, "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-rfc",
                "-file", dir.resolve(name + ".pem").toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".pem").toString(),
                "-keystore", dir.resolve(name + "-trust.p12").toString(), "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
    }

    @BeforeAll
    static void startBrokerWithTls() throws Exception {
        dir = Files.createTempDirectory("runbook-tls");
        certificate("broker");
        certificate("stranger");
        Files.writeString(dir.resolve("truststore-password"), TRUST_PASSWORD + "\n");
        broker = KafkaBroker.startWithSsl(dir.resolve("broker.p12"), STORE_PASSWORD);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static KafkaCluster cluster(String truststore) throws Exception {
        return ConsumersConfig.parse(Json.yaml().readTree("""
                kafka:
                  bootstrapServers: %s
                  requestTimeout: 5s
                  security:
                    protocol: SSL
                    truststore: {path: %s, type: PKCS12, password: {file: %s}}
                controllers:
                  - {name: m, type: manual, groups: [g]}
                """.formatted(broker.sslBootstrapServers(), dir.resolve(truststore), dir.resolve("truststore-password")))).kafka();
    }

    @Test
    void aTrustStoreHoldingTheBrokersCertificateConnects() throws Exception {
        try (Admin admin = cluster("broker-trust.p12").openAdmin()) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }

    @Test
    void aTrustStoreThatDoesNotTrustTheBrokerIsAClearEnvironmentError() throws Exception {
        KafkaCluster cluster = cluster("stranger-trust.p12");
        assertThatThrownBy(cluster::openAdmin)
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("The TLS handshake with Kafka at " + broker.sslBootstrapServers() + " failed")
                .hasMessageContaining("kafka.security.truststore")
                .hasMessageNotContaining(TRUST_PASSWORD)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT));
    }
}
