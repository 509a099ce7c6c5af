package io.migrationrunbook.consumers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.migrationrunbook.kafka.TestConsumer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A service's ops endpoint over a real consumer loop (none: always normal), on the JDK HTTP server: {@code GET/PUT /ops/control} with
 * {@code {"mode":"normal"|"paused"}}, like the demo service. {@link #lying()} reports the requested mode although the
 * consumer keeps consuming; {@link #deaf()} answers 200 but never pauses.
 */
final class OpsEndpoint implements AutoCloseable {

    record Request(String method, String path, String body, String authorization) {
    }

    private final HttpServer server;
    private final TestConsumer consumer;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean deaf;
    private volatile boolean reportRequested;
    private volatile int resumeStatus;

    OpsEndpoint(TestConsumer consumer) throws IOException {
        this.consumer = consumer;
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/ops/control", this::control);
        server.start();
    }

    /** Reports the requested mode, not the effective one (the consumer may be ignoring the pause). */
    OpsEndpoint lying() {
        reportRequested = true;
        return this;
    }

    /** Accepts pause requests and does nothing. */
    OpsEndpoint deaf() {
        deaf = true;
        return this;
    }

    /** Answers resume requests ({@code "normal"}) with this HTTP status and does not resume; 0 restores normal service. */
    OpsEndpoint failResumesWith(int status) {
        resumeStatus = status;
        return this;
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort() + "/ops/control";
    }

    List<String> modesRequested() {
        return requests.stream().filter(r -> r.method().equals("PUT")).map(Request::body).toList();
    }

    private void control(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                exchange.getRequestHeaders().getFirst("Authorization")));
        if (exchange.getRequestMethod().equals("PUT") && body.contains("\"normal\"") && resumeStatus != 0) {
            byte[] error = "{\"error\":\"internal\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(resumeStatus, error.length);
            exchange.getResponseBody().write(error);
            exchange.close();
            return;
        }
        if (exchange.getRequestMethod().equals("PUT") && !deaf && consumer != null) {
            if (body.contains("\"paused\"")) {
                consumer.pause();
            } else if (body.contains("\"normal\"")) {
                consumer.resume();
            }
        }
        boolean paused = consumer != null && (reportRequested ? consumer.pauseRequested() : consumer.effectivelyPaused());
        byte[] answer = ("{\"mode\":\"" + (paused ? "paused" : "normal") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
