package io.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code type: http}: the service's own control endpoint, e.g. {@code PUT /ops/control {"mode":"paused"}} or Spring
 * Cloud Stream's {@code POST /actuator/bindings/NAME {"state":"PAUSED"}}, with an optional status probe read through
 * a JSON Pointer ({@code /mode}) and compared with the configured values.
 */
public final class HttpController implements ConsumerController {

    /** A request: method, URL, body and extra (non-secret) headers. */
    public record Call(String method, String url, String body, Map<String, String> headers) {
    }

    /** How to ask for the status: URL, JSON Pointer, and the values meaning paused and running. */
    public record StatusProbe(String method, String url, String pointer, String pausedValue, String runningValue) {
    }

    public record Definition(String name, List<String> groups, Call pause, Call resume, StatusProbe status, HttpAuth auth,
                             Map<String, Object> headers, Duration timeout)
            implements ControllerDefinition {
        @Override
        public String type() {
            return "http";
        }

        @Override
        public ConsumerController create(HumanGate gate) {
            return new HttpController(this, new HttpEndpoint(auth, headers, timeout, "controllers." + name));
        }
    }

    static Definition parse(ConfigNode node, String name, List<String> groups) {
        node.allowOnly("name", "type", "groups", "pause", "resume", "status", "auth", "headers", "timeout");
        Call pause = call(node.object("pause"), "PUT");
        Call resume = call(node.object("resume"), "PUT");
        StatusProbe status = null;
        ConfigNode probe = node.optionalObject("status");
        if (probe != null) {
            probe.allowOnly("method", "url", "pointer", "paused", "running", "headers");
            String pointer = probe.string("pointer");
            if (!pointer.startsWith("/")) {
                throw probe.error(probe.path() + ".pointer must be a JSON Pointer such as /mode or /state, got '" + pointer + "'.");
            }
            status = new StatusProbe(probe.string("method", "GET"), url(probe), pointer, probe.string("paused"),
                    probe.optionalString("running"));
        }
        return new Definition(name, groups, pause, resume, status, HttpAuth.parse(node, "auth"), node.headers("headers"),
                node.duration("timeout", Duration.ofSeconds(10)));
    }

    private static Call call(ConfigNode node, String defaultMethod) {
        node.allowOnly("method", "url", "body", "headers");
        String method = node.string("method", defaultMethod).toUpperCase(Locale.ROOT);
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
            throw node.error(node.path() + ".method must be GET, POST, PUT, PATCH or DELETE, got '" + method + "'.");
        }
        String body = null;
        if (node.has("body")) {
            JsonNode raw = node.raw().get("body");
            body = raw.isValueNode() ? raw.asText() : Json.write(raw);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> header : node.headers("headers").entrySet()) {
            if (!(header.getValue() instanceof String value)) {
                throw node.error(node.path() + ".headers." + header.getKey() + ": secret headers go in the controller's "
                        + "headers or auth, which apply to every call.");
            }
            headers.put(header.getKey(), value);
        }
        return new Call(method, url(node), body, headers);
    }

    static String url(ConfigNode node) {
        String url = node.string("url");
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            if (uri.getUserInfo() != null) {
                throw node.error(node.path() + ".url must not carry credentials: use auth.");
            }
        } catch (IllegalArgumentException e) {
            throw node.error(node.path() + ".url must be an http:// or https:// URL with a host, got '" + url + "'.");
        }
        return url;
    }

    private final Definition definition;
    private final HttpEndpoint endpoint;

    HttpController(Definition definition, HttpEndpoint endpoint) {
        this.definition = definition;
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public List<String> groups() {
        return definition.groups();
    }

    @Override
    public void pause() {
        Call call = definition.pause();
        endpoint.expectSuccess(call.method(), call.url(), call.body(), call.headers(), "Pausing through controller '" + name() + "'");
    }

    @Override
    public void resume() {
        Call call = definition.resume();
        endpoint.expectSuccess(call.method(), call.url(), call.body(), call.headers(), "Resuming through controller '" + name() + "'");
    }

    @Override
    public ControllerStatus status() {
        StatusProbe probe = definition.status();
        if (probe == null) {
            return ControllerStatus.notReported("no status probe configured");
        }
        try {
            HttpEndpoint.Response response = endpoint.send(probe.method(), probe.url(), null);
            if (response.status() / 100 != 2) {
                return ControllerStatus.unknown("status probe answered HTTP " + response.status());
            }
            JsonNode value = Json.mapper().readTree(response.body()).at(probe.pointer());
            if (value.isMissingNode()) {
                return ControllerStatus.unknown("status probe has no " + probe.pointer() + " in " + endpoint.snippet(response.body()));
            }
            String text = value.asText();
            String detail = probe.pointer() + " = " + text;
            if (text.equalsIgnoreCase(probe.pausedValue())) {
                return ControllerStatus.paused(detail);
            }
            if (probe.runningValue() == null || text.equalsIgnoreCase(probe.runningValue())) {
                return ControllerStatus.running(detail);
            }
            return ControllerStatus.unknown(detail);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return ControllerStatus.unknown("status probe failed: " + endpoint.redact(String.valueOf(e.getMessage())));
        }
    }
}
