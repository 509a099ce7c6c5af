package io.migrationrunbook.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo service's HTTP API on the JDK's server. Every response carries {@code X-Correlation-ID}: the request's own,
 * or a new {@code ING:<uuid>}.
 */
final class DemoHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(DemoHttpApi.class);
    private static final Pattern POSITIONS = Pattern.compile("^/portfolios/([^/]+)/positions/?$");
    private static final Pattern TRANSACTION = Pattern.compile("^/transactions/([^/]+)/?$");
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("^[\\x21-\\x7e]{1,200}$");

    private final DemoService service;

    DemoHttpApi(DemoService service) {
        this.service = service;
    }

    void register(HttpServer server) {
        server.createContext("/transactions", exchange -> handle(exchange, this::transactions));
        server.createContext("/portfolios/", exchange -> handle(exchange, this::positions));
        server.createContext("/ops/control", exchange -> handle(exchange, this::control));
        server.createContext("/ops/stats", exchange -> handle(exchange, this::stats));
        server.createContext("/health", exchange -> handle(exchange, this::health));
    }

    private record Response(int status, Object body) {
    }

    private record Request(HttpExchange exchange, String correlationId) {
        String method() {
            return exchange.getRequestMethod().toUpperCase();
        }

        String path() {
            return exchange.getRequestURI().getPath();
        }

        JsonNode jsonBody() throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readAllBytes();
                if (bytes.length == 0) {
                    throw new BadRequest("The request needs a JSON body.");
                }
                try {
                    return DemoService.JSON.readTree(bytes);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new BadRequest("The body is not valid JSON: " + e.getOriginalMessage());
                }
            }
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    private interface Handler {
        Response handle(Request request) throws Exception;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        String requested = exchange.getRequestHeaders().getFirst(TransactionEvent.CORRELATION_HEADER);
        String correlationId = requested != null && SAFE_CORRELATION_ID.matcher(requested).matches()
                ? requested : "ING:" + UUID.randomUUID();
        Response response;
        try {
            response = handler.handle(new Request(exchange, correlationId));
        } catch (BadRequest | IllegalArgumentException e) {
            response = error(400, e.getMessage(), correlationId);
        } catch (Exception e) {
            LOG.warn("{} {} failed (correlation id {}): {}", exchange.getRequestMethod(), exchange.getRequestURI(), correlationId, e.toString());
            response = error(503, e.getClass().getSimpleName() + ": " + e.getMessage(), correlationId);
        }
        byte[] body = DemoService.JSON.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set(TransactionEvent.CORRELATION_HEADER, correlationId);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Response error(int status, String message, String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("correlationId", correlationId);
        return new Response(status, body);
    }

    private static Response methodNotAllowed(Request request) {
        return error(405, "Method " + request.method() + " is not allowed on " + request.path(), request.correlationId());
    }

    private Response transactions(Request request) throws Exception {
        Matcher one = TRANSACTION.matcher(request.path());
        if (one.matches()) {
            return request.method().equals("GET") ? transaction(request, one.group(1)) : methodNotAllowed(request);
        }
        if (!request.path().equals("/transactions") && !request.path().equals("/transactions/")) {
            return error(404, "No such resource: " + request.path(), request.correlationId());
        }
        if (!request.method().equals("POST")) {
            return methodNotAllowed(request);
        }
        JsonNode body = request.jsonBody();
        String transactionId = text(body, "transactionId", false);
        if (transactionId == null) {
            transactionId = "TXN:" + UUID.randomUUID();
        }
        String eventId = text(body, "eventId", false);
        if (eventId == null) {
            eventId = transactionId;
        }
        TransactionEvent event = new TransactionEvent(eventId, transactionId, text(body, "portfolioId", true),
                text(body, "securityId", true), number(body, "quantity"), number(body, "price"), request.correlationId(), Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>(service.config().topic(), event.portfolioId(),
                DemoService.JSON.writeValueAsString(event));
        record.headers().add(TransactionEvent.CORRELATION_HEADER, request.correlationId().getBytes(StandardCharsets.UTF_8));
        record.headers().add(TransactionEvent.EVENT_ID_HEADER, eventId.getBytes(StandardCharsets.UTF_8));
        RecordMetadata metadata;
        try {
            metadata = service.producer().send(record).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return error(503, "Kafka did not acknowledge the event: " + cause, request.correlationId());
        }
        service.statsRecorder().ingested();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("eventId", eventId);
        answer.put("transactionId", transactionId);
        answer.put("correlationId", request.correlationId());
        answer.put("topic", metadata.topic());
        answer.put("partition", metadata.partition());
        answer.put("offset", metadata.offset());
        return new Response(202, answer);
    }

    private Response transaction(Request request, String transactionId) throws SQLException {
        try (Connection c = service.database().connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT t.transaction_id, t.event_id, t.portfolio_id, t.security_id, t.quantity, t.price, t.correlation_id, "
                             + "t.persisted_at FROM transactions t WHERE t.transaction_id = ?")) {
            s.setString(1, transactionId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return error(404, "Transaction " + transactionId + " is not persisted (yet).", request.correlationId());
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("transactionId", rs.getString(1));
                answer.put("eventId", rs.getString(2));
                answer.put("portfolioId", rs.getString(3));
                answer.put("securityId", rs.getString(4));
                answer.put("quantity", plain(rs.getBigDecimal(5)));
                answer.put("price", plain(rs.getBigDecimal(6)));
                answer.put("eventCorrelationId", rs.getString(7));
                answer.put("persistedAt", instant(rs.getTimestamp(8)));
                answer.put("correlationId", request.correlationId());
                return new Response(200, answer);
            }
        }
    }

    private Response positions(Request request) throws SQLException {
        Matcher m = POSITIONS.matcher(request.path());
        if (!m.matches()) {
            return error(404, "No such resource: " + request.path(), request.correlationId());
        }
        if (!request.method().equals("GET")) {
            return methodNotAllowed(request);
        }
        String portfolioId = m.group(1);
        List<Map<String, Object>> positions = new ArrayList<>();
        try (Connection c = service.database().connect();
             PreparedStatement s = c.prepareStatement("SELECT security_id, quantity, cost, transaction_count, updated_at "
                     + "FROM positions WHERE portfolio_id = ? ORDER BY security_id")) {
            s.setString(1, portfolioId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> position = new LinkedHashMap<>();
                    position.put("securityId", rs.getString(1));
                    position.put("quantity", plain(rs.getBigDecimal(2)));
                    position.put("cost", plain(rs.getBigDecimal(3)));
                    position.put("transactionCount", rs.getLong(4));
                    position.put("updatedAt", instant(rs.getTimestamp(5)));
                    positions.add(position);
                }
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("portfolioId", portfolioId);
        answer.put("positions", positions);
        answer.put("correlationId", request.correlationId());
        return new Response(200, answer);
    }

    private Response control(Request request) throws IOException {
        if (!request.path().equals("/ops/control")) {
            return error(404, "No such resource: " + request.path(), request.correlationId());
        }
        switch (request.method()) {
            case "GET":
                return new Response(200, service.control());
            case "PUT":
            case "POST":
                JsonNode body = request.jsonBody();
                ControlStatus status = service.setMode(text(body, "mode", true));
                // 200 once the consumer threads applied it; 202 when they have not yet (poll GET for the effective mode)
                return new Response(status.settled() ? 200 : 202, status);
            default:
                return methodNotAllowed(request);
        }
    }

    private Response stats(Request request) {
        return request.method().equals("GET") ? new Response(200, service.stats()) : methodNotAllowed(request);
    }

    private Response health(Request request) {
        Map<String, Object> answer = new LinkedHashMap<>();
        boolean up = true;
        try (Connection c = service.database().connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            answer.put("database", "UP");
        } catch (SQLException e) {
            answer.put("database", "DOWN: " + e.getMessage());
            up = false;
        }
        ControlStatus control = service.control();
        boolean consumersRunning = !control.effective().equals("stopped");
        answer.put("consumers", consumersRunning ? "UP" : "STOPPED");
        answer.put("mode", control.effective());
        up &= consumersRunning;
        answer.put("status", up ? "UP" : "DOWN");
        answer.put("correlationId", request.correlationId());
        return new Response(up ? 200 : 503, answer);
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || node.asText().isBlank()) {
            if (required) {
                throw new BadRequest("Field \"" + field + "\" is required.");
            }
            return null;
        }
        if (!node.isValueNode()) {
            throw new BadRequest("Field \"" + field + "\" must be a string.");
        }
        return node.asText();
    }

    private static BigDecimal number(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw new BadRequest("Field \"" + field + "\" is required.");
        }
        try {
            return node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText());
        } catch (NumberFormatException e) {
            throw new BadRequest("Field \"" + field + "\" must be a number, got " + node);
        }
    }

    private static BigDecimal plain(BigDecimal value) {
        return value == null ? null : new BigDecimal(value.stripTrailingZeros().toPlainString());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
