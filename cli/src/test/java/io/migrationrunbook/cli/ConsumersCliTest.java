package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.demo.SteadyLoad;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** runbook pause / resume / lag in-process, against the demo service's real /ops/control, Kafka and PostgreSQL. */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class ConsumersCliTest {

    static Path consumersYaml(Path dir, String bootstrap, String group, String controlUrl, String requestTimeout) throws Exception {
        Path file = dir.resolve("consumers.yaml");
        Files.writeString(file, """
                kafka:
                  bootstrapServers: %s
                  requestTimeout: %s
                verification: {quietWindow: 1s, pollInterval: 100ms, pauseTimeout: 20s, resumeTimeout: 20s}
                lag: {samples: 3, interval: 300ms, deadline: 30s}
                controllers:
                  - name: persistence
                    type: http
                    groups: [%s]
                    pause:  {method: PUT, url: %s, body: {mode: paused}}
                    resume: {method: PUT, url: %s, body: {mode: normal}}
                    status: {url: %s, pointer: /effective, paused: paused, running: normal}
                """.formatted(bootstrap, requestTimeout, group, controlUrl, controlUrl, controlUrl));
        return file;
    }

    @Test
    void pauseResumeAndLagAgainstTheDemoServiceLoseAndDoubleNothing(TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "persistence-service-" + suffix;
        try (DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("transactions-" + suffix).groupId(group).retryBackoff(Duration.ofMillis(100)));
             SteadyLoad load = SteadyLoad.directToKafka(kafka.bootstrapServers(), "transactions-" + suffix, 50)) {
            load.start();
            Path config = consumersYaml(dir, kafka.bootstrapServers(), group, service.baseUrl() + "/ops/control", "10s");
            Path run = dir.resolve("run");
            Thread.sleep(1500); // the group joins and commits

            CliRun pause = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", run.toString(), "--json");
            assertThat(pause.exitCode()).as(pause.err() + pause.out()).isZero();
            JsonNode paused = pause.json();
            assertThat(paused.get("outcome").asText()).isEqualTo("PAUSED");
            assertThat(paused.get("groups").get(0).get("controllerStatus").asText()).isEqualTo("PAUSED");
            assertThat(paused.get("groups").get(0).get("partitions")).hasSize(3);
            assertThat(service.control().effective()).isEqualTo("paused");

            Thread.sleep(1000); // events pile up while paused

            CliRun resume = CliRun.of("resume", "--state-dir", run.toString());
            assertThat(resume.exitCode()).as(resume.err() + resume.out()).isZero();
            assertThat(resume.out()).contains("Resumed: every group consumes again").contains("Consumers were held for");

            CliRun lag = CliRun.of("lag", "--state-dir", run.toString());
            assertThat(lag.exitCode()).as(lag.err() + lag.out()).isZero();
            assertThat(lag.out()).contains("Lag check passed").contains("GROUP").contains("DRAINED").contains("TOPIC-PARTITION");

            CliRun again = CliRun.of("resume", "--state-dir", run.toString(), "--json");
            assertThat(again.exitCode()).isZero();
            assertThat(again.json().get("outcome").asText()).isEqualTo("ALREADY_RESUMED");

            SteadyLoad.Produced produced = load.stop();
            try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                DeliveryVerifier.DeliveryReport report = DeliveryVerifier.awaitAllProcessed(connection, produced, Duration.ofSeconds(30));
                assertThat(report.exactlyOnce()).as(report.toString()).isTrue();
                assertThat(report.produced()).isGreaterThan(50);
            }
        }
    }

    /** Stdin of an operator who does what the prompt asks (through {@code action}) and then types "yes". */
    static java.io.InputStream operator(Runnable action) {
        return new java.io.InputStream() {
            private java.io.InputStream answer;

            @Override
            public int read() throws java.io.IOException {
                if (answer == null) {
                    action.run();
                    answer = new java.io.ByteArrayInputStream("yes\n".getBytes());
                }
                return answer.read();
            }
        };
    }

    @Test
    void aManualControllerPromptsOnTheTerminalAndEndOfInputRefuses(TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "persistence-service-" + suffix;
        java.io.InputStream stdin = System.in;
        try (DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("transactions-" + suffix).groupId(group).retryBackoff(Duration.ofMillis(100)))) {
            Path config = dir.resolve("manual.yaml");
            Files.writeString(config, """
                    kafka: {bootstrapServers: %s}
                    verification: {quietWindow: 1s, pollInterval: 100ms, pauseTimeout: 20s, resumeTimeout: 20s}
                    controllers:
                      - name: ops-team
                        type: manual
                        groups: [%s]
                        pauseInstructions: Pause the persistence consumers from the ops console.
                    """.formatted(kafka.bootstrapServers(), group));
            Thread.sleep(1500); // the group joins

            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            CliRun refused = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", dir.resolve("refused").toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).doesNotContain("Start the consumers of")
                    .contains("[ops-team] Pause the persistence consumers from the ops console.")
                    .contains("No answer (end of input): not confirmed.").contains("did not confirm the pause");

            System.setIn(operator(service::pause));
            CliRun pause = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", dir.resolve("run").toString(), "--json");
            assertThat(pause.exitCode()).as(pause.err()).isZero();
            assertThat(pause.json().get("groups").get(0).get("controllerStatus").asText()).isEqualTo("NOT_REPORTED");

            System.setIn(operator(service::resume));
            CliRun resume = CliRun.of("resume", "--state-dir", dir.resolve("run").toString());
            assertThat(resume.exitCode()).as(resume.err()).isZero();
            assertThat(resume.err()).contains("Start the consumers of [" + group + "] again.");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void badConfigurationIsExit2NamingTheKeyBeforeAnySideEffect(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                kafka: {bootstrapServers: localhost:9092}
                controllers:
                  - name: x
                    type: http
                    groups: [g]
                    pause: {url: http://localhost:1/ops/control}
                    resum: {url: http://localhost:1/ops/control}
                """);
        CliRun run = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", dir.resolve("run").toString(), "--json");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.json().get("error").get("kind").asText()).isEqualTo("CONFIGURATION");
        assertThat(run.err()).contains("controllers[0].resum is not a known key");
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void aKubernetesControllerWithAnUnreadableTokenIsExit2BeforeAnyRequest(@TempDir Path dir) throws Exception {
        java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer api = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("localhost", 0), 0);
        api.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        api.start();
        try {
            Path config = dir.resolve("k8s.yaml");
            Files.writeString(config, """
                    kafka: {bootstrapServers: localhost:9092}
                    controllers:
                      - name: ingest
                        type: kubernetes
                        apiServer: http://localhost:%d
                        namespace: pay
                        workload: ingest
                        groups: [ingest]
                        token: {file: %s}
                    """.formatted(api.getAddress().getPort(), dir.resolve("no-such-token")));
            CliRun run = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", dir.resolve("run").toString(), "--json");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("Cannot read the secret file " + dir.resolve("no-such-token"));
            assertThat(requests).isEmpty();
            assertThat(dir.resolve("run").resolve("consumers-state.json")).doesNotExist();
        } finally {
            api.stop(0);
        }
    }

    @Test
    void anUnreachableBrokerIsExit3(@TempDir Path dir) throws Exception {
        Path config = consumersYaml(dir, "localhost:1", "g", "http://localhost:1/ops/control", "1500ms");
        CliRun lag = CliRun.of("lag", "--consumers", config.toString(), "--max-lag", "0");
        assertThat(lag.exitCode()).isEqualTo(3);
        assertThat(lag.err()).contains("Cannot reach the Kafka cluster at localhost:1 within 1500 ms");
    }

    @Test
    void anUnknownGroupIsExit2(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        Path config = consumersYaml(dir, kafka.bootstrapServers(), "no-such-group", "http://localhost:1/ops/control", "5s");
        CliRun pause = CliRun.of("pause", "--consumers", config.toString(), "--state-dir", dir.resolve("run").toString());
        assertThat(pause.exitCode()).isEqualTo(2);
        assertThat(pause.err()).contains("no-such-group");
    }

    @Test
    void resumeWithNoStateIsExit2WithAClearMessage(@TempDir Path dir) {
        CliRun resume = CliRun.of("resume", "--state-dir", dir.toString());
        assertThat(resume.exitCode()).isEqualTo(2);
        assertThat(resume.err()).contains("Nothing to resume: there is no pause state");
        CliRun lag = CliRun.of("lag");
        assertThat(lag.exitCode()).isEqualTo(2);
        assertThat(lag.err()).contains("pass --state-dir DIR");
    }
}
