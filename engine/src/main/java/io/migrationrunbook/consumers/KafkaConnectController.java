package io.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code type: kafka-connect}: pauses and resumes connectors through the Kafka Connect REST API
 * ({@code PUT /connectors/NAME/pause}, 202) and waits until {@code GET /connectors/NAME/status} shows the connector
 * and every task PAUSED (then RUNNING on resume). A sink connector's consumer group is {@code connect-NAME} unless
 * the worker overrides it, which is the default for {@code groups}.
 */
public final class KafkaConnectController implements ConsumerController {

    public record Definition(String name, List<String> groups, String url, List<String> connectors, HttpAuth auth,
                             Map<String, Object> headers, Duration timeout,
                             Duration pollInterval) implements ControllerDefinition {
        @Override
        public String type() {
            return "kafka-connect";
        }

        @Override
        public ConsumerController create(HumanGate gate) {
            return new KafkaConnectController(this, new HttpEndpoint(auth, headers, timeout,
                    "controllers." + name));
        }
    }

    static Definition parse(ConfigNode node, String name) {
        node.allowOnly("name", "type", "groups", "url", "connectors", "auth", "headers", "timeout", "pollInterval");
        String url = HttpController.url(node).replaceAll("/+$", "");
        List<String> connectors = node.stringList("connectors", true);
        List<String> groups = node.stringList("groups", false);
        if (groups.isEmpty()) {
            for (String connector : connectors) {
                groups.add("connect-" + connector);
            }
        }
        return new Definition(name, groups, url, connectors, HttpAuth.parse(node, "auth"), node.headers("headers"),
                node.duration("timeout", Duration.ofSeconds(30)), node.duration("pollInterval", Duration.ofMillis(250)));
    }

    private final Definition definition;
    private final HttpEndpoint endpoint;

    KafkaConnectController(Definition definition, HttpEndpoint endpoint) {
        this.definition = definition;
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String type() {
        return "kafka-connect";
    }

    @Override
    public List<String> groups() {
        return definition.groups();
    }

    @Override
    public void pause() {
        for (String connector : definition.connectors()) {
            endpoint.expectSuccess("PUT", connectorUrl(connector) + "/pause", null, "Pausing connector '" + connector + "'");
        }
        awaitState("PAUSED");
    }

    @Override
    public void resume() {
        for (String connector : definition.connectors()) {
            endpoint.expectSuccess("PUT", connectorUrl(connector) + "/resume", null, "Resuming connector '" + connector + "'");
        }
        awaitState("RUNNING");
    }

    @Override
    public ControllerStatus status() {
        try {
            List<String> details = new ArrayList<>();
            boolean allPaused = true;
            boolean allRunning = true;
            for (String connector : definition.connectors()) {
                List<String> states = states(connector);
                details.add(connector + " " + states);
                allPaused &= states.stream().allMatch("PAUSED"::equals);
                allRunning &= states.stream().allMatch("RUNNING"::equals);
            }
            String detail = String.join(", ", details);
            return allPaused ? ControllerStatus.paused(detail) : allRunning ? ControllerStatus.running(detail) : ControllerStatus.unknown(detail);
        } catch (RuntimeException e) {
            return ControllerStatus.unknown("Connect status failed: " + e.getMessage());
        }
    }

    /** The connector's state followed by each task's, e.g. [PAUSED, PAUSED, RUNNING]. */
    private List<String> states(String connector) {
        HttpEndpoint.Response response = endpoint.expectSuccess("GET", connectorUrl(connector) + "/status", null,
                "Reading the status of connector '" + connector + "'");
        try {
            JsonNode status = Json.mapper().readTree(response.body());
            List<String> states = new ArrayList<>();
            states.add(status.path("connector").path("state").asText("UNKNOWN"));
            for (JsonNode task : status.path("tasks")) {
                states.add(task.path("state").asText("UNKNOWN"));
            }
            return states;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw RunbookException.environment("Connect answered a status that is not JSON for connector '" + connector + "': "
                    + endpoint.snippet(response.body()));
        }
    }

    private void awaitState(String wanted) {
        long deadline = System.nanoTime() + definition.timeout().toNanos();
        while (true) {
            List<String> details = new ArrayList<>();
            boolean done = true;
            for (String connector : definition.connectors()) {
                List<String> states = states(connector);
                details.add(connector + " " + states);
                if (states.contains("FAILED")) {
                    throw RunbookException.environment("Connector '" + connector + "' has a FAILED connector or task " + states
                            + " while waiting for " + wanted + ": check the Connect worker's log (GET /connectors/" + connector + "/status).");
                }
                done &= states.stream().allMatch(wanted::equals);
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw RunbookException.environment("Kafka Connect did not report " + wanted + " within "
                        + definition.timeout().toSeconds() + " s for controller '" + name() + "': " + String.join(", ", details)
                        + ". Check the Connect workers, or raise controllers[].timeout.");
            }
            try {
                Thread.sleep(definition.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RunbookException.environment("Interrupted while waiting for Kafka Connect.", e);
            }
        }
    }

    private String connectorUrl(String connector) {
        return definition.url() + "/connectors/" + URLEncoder.encode(connector, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
