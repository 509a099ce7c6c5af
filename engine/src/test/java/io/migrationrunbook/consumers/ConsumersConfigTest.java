package io.migrationrunbook.consumers;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.KafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The YAML configuration: what it accepts, and that every rejection names the key (exit code 2). */
class ConsumersConfigTest {

    static ConsumersConfig parse(String yaml) throws Exception {
        return ConsumersConfig.parse(Json.yaml().readTree(yaml));
    }

    static void rejected(String yaml, String... messageParts) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContainingAll(messageParts);
    }

    static final String CONTROLLER = """
            controllers:
              - name: ingestion
                type: http
                groups: [persistence-service]
                pause: {url: http://svc:8080/ops/control, body: {mode: paused}}
                resume: {url: http://svc:8080/ops/control, body: {mode: normal}}
            """;

    @Test
    void acceptsAFullConfigurationWithDefaults(@TempDir Path dir) throws Exception {
        Path truststore = Files.writeString(dir.resolve("truststore.p12"), "x");
        ConsumersConfig config = parse("""
                kafka:
                  bootstrapServers: kafka-1:9093,kafka-2:9093
                  requestTimeout: 20s
                  security:
                    protocol: SASL_SSL
                    sasl: {mechanism: SCRAM-SHA-512, username: runbook, password: {env: KAFKA_PASSWORD}}
                    truststore: {path: %s, password: {file: /run/secrets/truststore}}
                verification: {quietWindow: 5s}
                lag: {samples: 6, interval: 2s, deadline: 10m, maxLag: 100}
                controllers:
                  - name: ingestion
                    type: http
                    groups: [persistence-service]
                    auth: {type: bearer, token: {env: OPS_TOKEN}}
                    headers: {X-Team: payments}
                    pause: {url: https://svc/ops/control, body: {mode: paused}}
                    resume: {url: https://svc/ops/control, body: {mode: normal}}
                    status: {url: https://svc/ops/control, pointer: /effective, paused: paused, running: normal}
                  - name: bindings
                    type: http
                    groups: [audit]
                    pause: {method: POST, url: http://audit/actuator/bindings/audit-in-0, body: {state: PAUSED}}
                    resume: {method: POST, url: http://audit/actuator/bindings/audit-in-0, body: {state: RESUMED}}
                    status: {url: http://audit/actuator/bindings/audit-in-0, pointer: /state, paused: paused, running: running}
                  - name: sinks
                    type: kafka-connect
                    url: http://connect:8083/
                    connectors: [jdbc-sink, s3-sink]
                  - name: legacy
                    type: manual
                    groups: [legacy]
                """.formatted(truststore));
        assertThat(config.kafka().securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(config.kafka().saslPassword().env()).isEqualTo("KAFKA_PASSWORD");
        assertThat(config.kafka().truststoreType()).isEqualTo("PKCS12");
        assertThat(config.kafka().requestTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.verification().quietWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.verification().pauseTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.lag().maxLag()).isEqualTo(100L);
        assertThat(config.groups()).containsExactly("persistence-service", "audit", "connect-jdbc-sink", "connect-s3-sink", "legacy");
        HttpController.Definition http = (HttpController.Definition) config.controllers().get(0);
        assertThat(http.pause().body()).isEqualTo("{\"mode\":\"paused\"}");
        assertThat(http.pause().method()).isEqualTo("PUT");
        assertThat(((KafkaConnectController.Definition) config.controllers().get(2)).url()).isEqualTo("http://connect:8083");
    }

    @Test
    void saslCredentialsComeFromASecretFileIntoTheJaasConfigOnly(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("kafka-password"), "pa\"ss\n");
        ConsumersConfig config = parse("""
                kafka:
                  bootstrapServers: kafka:9092
                  security: {protocol: SASL_PLAINTEXT, sasl: {mechanism: PLAIN, username: runbook, password: {file: %s}}}
                %s""".formatted(secret, CONTROLLER));
        Map<String, Object> props = config.kafka().clientProperties();
        assertThat(props.get("sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"runbook\" password=\"pa\\\"ss\";");
        assertThat(props).containsEntry("sasl.mechanism", "PLAIN").containsEntry("security.protocol", "SASL_PLAINTEXT");
        assertThat(Json.write(config.kafka())).doesNotContain("pa\\\"ss").contains(secret.toString());
    }

    @Test
    void everyRejectionNamesTheKey() {
        rejected(CONTROLLER, "kafka is missing");
        rejected("kafka: {bootstrapServer: k:9092}\n" + CONTROLLER, "kafka.bootstrapServer is not a known key", "bootstrapServers");
        rejected("kafka: {bootstrapServers: k:9092}\n", "controllers is missing or empty");
        rejected("kafka: {bootstrapServers: k:9092}\nverification: {quietWindow: 3 seconds}\n" + CONTROLLER,
                "verification.quietWindow must be a positive duration", "3 seconds");
        rejected("kafka: {bootstrapServers: k:9092}\nverification: {quietWindow: 2m}\n" + CONTROLLER,
                "verification.quietWindow (PT2M) must be shorter than verification.pauseTimeout");
        rejected("kafka: {bootstrapServers: k:9092, security: {protocol: SASL_SSL}}\n" + CONTROLLER,
                "kafka.security.sasl.mechanism must be one of");
        rejected("kafka: {bootstrapServers: k:9092, security: {protocol: SASL_SSL, sasl: {mechanism: PLAIN, username: u, password: hunter2}}}\n"
                + CONTROLLER, "kafka.security.sasl.password must be {env: VARIABLE} or {file: PATH}");
        rejected("kafka: {bootstrapServers: k:9092, security: {protocol: SSL, truststore: {path: /nonexistent/ts.p12}}}\n" + CONTROLLER,
                "kafka.security.truststore.path: cannot read /nonexistent/ts.p12");
        rejected(CONTROLLER.replace("type: http", "type: grpc") + "kafka: {bootstrapServers: k:9092}\n",
                "controllers[0].type must be one of [http, kafka-connect, kubernetes, manual], got 'grpc'");
        rejected("kafka: {bootstrapServers: k:9092}\n" + CONTROLLER.replace("url: http://svc:8080/ops/control, body: {mode: paused}",
                "url: svc:8080/ops/control"), "controllers[0].pause.url must be an http:// or https:// URL");
        rejected("kafka: {bootstrapServers: k:9092}\n" + CONTROLLER.replace("groups: [persistence-service]",
                "groups: [persistence-service]\n    headers: {Authorization: Bearer abc}"),
                "controllers[0].headers.Authorization looks like a credential");
        rejected("kafka: {bootstrapServers: k:9092}\n" + CONTROLLER + """
                  - name: again
                    type: manual
                    groups: [persistence-service]
                """, "controllers[1].groups: group 'persistence-service' is already controlled by 'ingestion'");
        rejected("kafka: {bootstrapServers: k:9092}\n" + CONTROLLER.replace("groups: [persistence-service]",
                "groups: [persistence-service]\n    auth: {type: basic, username: ops}"), "controllers[0].auth.password is missing");
        rejected("kafka: {bootstrapServers: k:9092}\nlag: {samples: 1}\n" + CONTROLLER, "lag.samples must be a whole number of at least 2");
    }

    @Test
    void kafkaConnectAuthIsAsStrictAsHttpAuth() {
        String connect = """
                kafka: {bootstrapServers: k:9092}
                controllers:
                  - name: sinks
                    type: kafka-connect
                    url: http://connect:8083
                    connectors: [jdbc-sink]
                    auth: %s
                """;
        rejected(connect.formatted("{type: basic, username: connect, password: {env: P}, token: {env: T}}"),
                "controllers[0].auth.token is not a known key", "[password, type, username]");
        rejected(connect.formatted("{type: bearer, username: connect, token: {env: T}}"),
                "controllers[0].auth.username is not a known key");
        rejected(connect.formatted("{type: basic, password: {env: P}}"), "controllers[0].auth.username is missing");
        rejected(connect.formatted("{type: bearer}"), "controllers[0].auth.token is missing");
    }

    @Test
    void aMissingSecretIsAConfigurationErrorAtCreationNamingTheVariable() throws Exception {
        ConsumersConfig config = parse("kafka: {bootstrapServers: k:9092}\n" + CONTROLLER.replace("groups: [persistence-service]",
                "groups: [persistence-service]\n    auth: {type: bearer, token: {env: RUNBOOK_TEST_SURELY_UNSET_TOKEN}}"));
        assertThatThrownBy(() -> config.createControllers(HumanGate.refuseAll()))
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("controllers.ingestion.auth.token: the environment variable RUNBOOK_TEST_SURELY_UNSET_TOKEN is not set");
    }

    @Test
    void readingAMissingFileSaysWhich(@TempDir Path dir) {
        assertThatThrownBy(() -> ConsumersConfig.read(dir.resolve("nope.yaml")))
                .isInstanceOf(RunbookException.class).hasMessageContaining("nope.yaml: no such file");
        assertThat(KafkaCluster.plaintext("k:1").securityProtocol()).isEqualTo("PLAINTEXT");
    }
}
