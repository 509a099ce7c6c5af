package io.migrationrunbook.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A JDK HTTP server on a free port whose answers a test scripts; it records what it received. */
final class LocalHttpServer implements AutoCloseable {

    record Received(String method, String path, String correlationId, String authorization, String body) {
    }

    record Answer(int status, String body) {
    }

    @FunctionalInterface
    interface Script {
        Answer answer(int requestNumber, Received request) throws Exception;
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();

    LocalHttpServer(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 16);
        server.createContext("/", exchange -> handle(exchange, script));
        server.start();
    }

    private void handle(HttpExchange exchange, Script script) throws IOException {
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("X-Correlation-ID"), exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(request);
        Answer answer;
        try {
            answer = script.answer(received.size(), request);
        } catch (Exception e) {
            answer = new Answer(599, e.toString());
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        if (request.correlationId() != null) {
            exchange.getResponseHeaders().set("X-Correlation-ID", request.correlationId());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
