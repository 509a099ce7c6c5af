package io.migrationrunbook.consumers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.kafka.TestConsumer;
import io.migrationrunbook.kafka.TestProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kafka-connect controller against a fake of the Kafka Connect REST API (JDK HTTP server): pause answers 202 and
 * the connector, then each task, move to PAUSED asynchronously, as a real worker does. The "sink task" is a real
 * consumer loop in group {@code connect-NAME}, so the pause is verified on the real broker.
 */
@ExtendWith(KafkaExtension.class)
class FakeKafkaConnectTest {

    /** Speaks the parts of the Connect REST API the controller uses; requires basic auth connect:PASSWORD. */
    static final class FakeConnect implements AutoCloseable {
        final HttpServer server;
        final String connector;
        final TestConsumer sinkTask;
        final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile String connectorState = "RUNNING";
        final String[] taskStates = {"RUNNING", "RUNNING"};
        volatile boolean failTaskOnResume;

        FakeConnect(String connector, TestConsumer sinkTask) throws IOException {
            this.connector = connector;
            this.sinkTask = sinkTask;
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/connectors/", this::handle);
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            calls.add(method + " " + path);
            String expected = "Basic " + Base64.getEncoder().encodeToString(("connect:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
                return;
            }
            String[] parts = path.split("/"); // "", connectors, NAME, action
            if (parts.length < 4 || !parts[2].equals(connector)) {
                answer(exchange, 404, "{\"error_code\":404,\"message\":\"Connector " + (parts.length > 2 ? parts[2] : "") + " not found\"}");
                return;
            }
            switch (method + " " + parts[3]) {
                case "PUT pause" -> {
                    transition("PAUSED", sinkTask::pause);
                    answer(exchange, 202, "");
                }
                case "PUT resume" -> {
                    transition(failTaskOnResume ? "FAILED" : "RUNNING", sinkTask::resume);
                    answer(exchange, 202, "");
                }
                case "GET status" -> answer(exchange, 200, """
                        {"name":"%s","connector":{"state":"%s","worker_id":"10.0.0.1:8083"},
                         "tasks":[{"id":0,"state":"%s","worker_id":"10.0.0.1:8083"},{"id":1,"state":"%s","worker_id":"10.0.0.2:8083"}],
                         "type":"sink"}""".formatted(connector, connectorState, taskStates[0], taskStates[1]));
                default -> answer(exchange, 405, "{\"error_code\":405,\"message\":\"Method not allowed\"}");
            }
        }

        /** Like a worker: the connector changes state first, the tasks follow one by one. */
        private void transition(String state, Runnable effect) {
            worker.schedule(() -> {
                connectorState = "FAILED".equals(state) ? "RUNNING" : state;
                effect.run();
            }, 150, TimeUnit.MILLISECONDS);
            worker.schedule(() -> taskStates[0] = "FAILED".equals(state) ? "RUNNING" : state, 300, TimeUnit.MILLISECONDS);
            worker.schedule(() -> taskStates[1] = state, 450, TimeUnit.MILLISECONDS);
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
            worker.shutdownNow();
        }
    }

    static final String PASSWORD = "connect-pa55";

    static Path config(Path dir, String bootstrap, String connectUrl, String connector) throws IOException {
        Path password = dir.resolve("connect-password");
        Files.writeString(password, PASSWORD);
        Path file = dir.resolve("consumers.yaml");
        Files.writeString(file, """
                kafka: {bootstrapServers: %s}
                verification: {quietWindow: 1s, pollInterval: 100ms, pauseTimeout: 15s, resumeTimeout: 15s}
                controllers:
                  - name: sinks
                    type: kafka-connect
                    url: %s
                    connectors: [%s]
                    auth: {type: basic, username: connect, password: {file: %s}}
                    timeout: 5s
                    pollInterval: 50ms
                """.formatted(bootstrap, connectUrl, connector, password));
        return file;
    }

    @Test
    void pausesTheConnectorUntilEveryTaskIsPausedThenResumesUntilRunning(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String topic = "connect-orders";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 2);
        try (TestConsumer task = new TestConsumer(kafka.bootstrapServers(), "connect-jdbc-sink", topic);
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic);
             FakeConnect connect = new FakeConnect("jdbc-sink", task)) {
            producer.send(10);
            PauseResumeTest.awaitConsumed(task, 10);
            producer.stream(100);
            ConsumersConfig config = ConsumersConfig.read(config(dir, kafka.bootstrapServers(), connect.url(), "jdbc-sink"));
            assertThat(config.groups()).containsExactly("connect-jdbc-sink");

            PauseResult paused = PauseConsumers.with(config).stateDir(dir.resolve("run")).progress(io.migrationrunbook.core.Progress.to(System.out)).execute();

            assertThat(paused.passed()).as(paused.reason()).isTrue();
            assertThat(connect.connectorState).isEqualTo("PAUSED");
            assertThat(connect.taskStates).containsOnly("PAUSED");
            assertThat(paused.groups().get(0).controllerStatus()).isEqualTo("PAUSED");
            assertThat(paused.groups().get(0).controllerDetail()).isEqualTo("jdbc-sink [PAUSED, PAUSED, PAUSED]");
            assertThat(connect.calls).contains("PUT /connectors/jdbc-sink/pause", "GET /connectors/jdbc-sink/status");

            ResumeResult resumed = ResumeConsumers.from(dir.resolve("run")).progress(io.migrationrunbook.core.Progress.to(System.out)).execute();
            assertThat(resumed.passed()).as(resumed.reason()).isTrue();
            assertThat(connect.taskStates).containsOnly("RUNNING");
            assertThat(connect.calls).contains("PUT /connectors/jdbc-sink/resume");
            assertThat(Files.readString(dir.resolve("run").resolve(PauseState.FILE_NAME))).doesNotContain(PASSWORD);
        }
    }

    @Test
    void aFailedTaskOrAnUnknownConnectorIsAClearError(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        try (TestConsumer task = new TestConsumer(kafka.bootstrapServers(), "connect-failing", "connect-failing");
             FakeConnect connect = new FakeConnect("failing", task)) {
            connect.failTaskOnResume = true;
            ConsumersConfig config = ConsumersConfig.read(config(dir, kafka.bootstrapServers(), connect.url(), "failing"));
            ConsumerController controller = config.createControllers(HumanGate.refuseAll()).get(0);
            controller.pause();
            assertThat(controller.status().state()).isEqualTo(ControllerStatus.State.PAUSED);
            assertThatThrownBy(controller::resume).isInstanceOf(RunbookException.class)
                    .hasMessageContaining("Connector 'failing' has a FAILED connector or task [RUNNING, RUNNING, FAILED]");

            ConsumersConfig unknown = ConsumersConfig.read(config(dir, kafka.bootstrapServers(), connect.url(), "nope"));
            assertThatThrownBy(() -> unknown.createControllers(HumanGate.refuseAll()).get(0).pause())
                    .isInstanceOf(RunbookException.class)
                    .hasMessageContaining("Pausing connector 'nope': PUT " + connect.url() + "/connectors/nope/pause answered HTTP 404")
                    .hasMessageContaining("Connector nope not found")
                    .hasMessageNotContaining(PASSWORD);
        }
    }
}
