package io.migrationrunbook.smoke;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Durations;
import io.migrationrunbook.core.RunbookException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One smoke check, as written in a checks file (YAML or JSON).
 * <ul>
 *   <li>{@code request} (default): one HTTP request; status, JSON assertions, correlation id echo, latency budget.</li>
 *   <li>{@code transaction}: the request (e.g. {@code POST /transactions}), then {@code poll} a query endpoint until the
 *       effect appears or the poll's deadline passes — the consumers process end to end.</li>
 *   <li>{@code idempotency}: the same request twice (same body, so the same event id), then {@code poll} until the effect
 *       appears, wait {@code settle}, and check the effect again: applied once, not twice.</li>
 * </ul>
 * Strings in path, headers, body and the poll may use {@code ${uuid}} (one random UUID per check run),
 * {@code ${correlationId}} and {@code ${response:/pointer}} (a value from the first response of the check).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmokeCheck(
        String name,
        Type type,
        String method,
        String path,
        Map<String, String> headers,
        JsonNode body,
        Integer expectStatus,
        List<JsonAssertion> expectJson,
        Boolean echoCorrelationId,
        String latencyBudget,
        Poll poll,
        String settle) {

    public enum Type {
        REQUEST, TRANSACTION, IDEMPOTENCY;

        @JsonCreator
        public static Type parse(String value) {
            for (Type t : values()) {
                if (t.name().equalsIgnoreCase(value)) {
                    return t;
                }
            }
            throw RunbookException.configuration("Unknown check type '" + value + "': use request, transaction or idempotency.");
        }

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The query a scenario polls until the effect of its request appears. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Poll(
            String method,
            String path,
            Map<String, String> headers,
            Integer expectStatus,
            List<JsonAssertion> expectJson,
            String every,
            String deadline) {

        public Poll {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            expectJson = expectJson == null ? List.of() : List.copyOf(expectJson);
        }

        public String effectiveMethod() {
            return method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        }

        public int effectiveStatus() {
            return expectStatus == null ? 200 : expectStatus;
        }

        public Duration everyDuration() {
            return every == null ? Duration.ofMillis(250) : Durations.parse(every);
        }

        public Duration deadlineDuration() {
            return deadline == null ? Duration.ofSeconds(30) : Durations.parse(deadline);
        }
    }

    private static final Set<String> FORBIDDEN_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "host",
            "content-length", "connection", "upgrade", "expect");

    public SmokeCheck {
        type = type == null ? Type.REQUEST : type;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        expectJson = expectJson == null ? List.of() : List.copyOf(expectJson);
    }

    /** A plain GET check. */
    public static SmokeCheck get(String name, String path, Integer expectStatus, List<JsonAssertion> expectJson) {
        return new SmokeCheck(name, Type.REQUEST, "GET", path, null, null, expectStatus, expectJson, null, null, null, null);
    }

    public String effectiveMethod() {
        if (method != null) {
            return method.toUpperCase(Locale.ROOT);
        }
        return body == null ? "GET" : "POST";
    }

    public boolean mustEcho() {
        return Boolean.TRUE.equals(echoCorrelationId);
    }

    public Duration latencyBudgetDuration() {
        return latencyBudget == null ? null : Durations.parse(latencyBudget);
    }

    public Duration settleDuration() {
        return settle == null ? Duration.ofSeconds(1) : Durations.parse(settle);
    }

    /** Rejects a check that cannot run, naming the check and the fix; called before any request is sent. */
    public void validate(int index) {
        String label = name == null || name.isBlank() ? "#" + (index + 1) : name;
        if (name == null || name.isBlank()) {
            throw RunbookException.configuration("Smoke check " + label + " has no name: give every check a 'name' (it shows in the report).");
        }
        requirePath(label, path, "path");
        headers.keySet().forEach(h -> requireAllowedHeader(label, h));
        if (expectStatus != null && (expectStatus < 100 || expectStatus > 599)) {
            throw RunbookException.configuration("Check '" + label + "': expectStatus " + expectStatus + " is not an HTTP status.");
        }
        expectJson.forEach(a -> a.validate(label));
        latencyBudgetDuration();
        if (type == Type.REQUEST) {
            if (poll != null) {
                throw RunbookException.configuration("Check '" + label + "' has a poll: set 'type: transaction' (or idempotency) for a request followed by polling.");
            }
            return;
        }
        if (poll == null) {
            throw RunbookException.configuration("Check '" + label + "' (type " + type.label() + ") needs a 'poll': the query to repeat "
                    + "until the effect of the request appears (path, expectStatus, expectJson, every, deadline).");
        }
        requirePath(label, poll.path(), "poll.path");
        poll.headers().keySet().forEach(h -> requireAllowedHeader(label, h));
        poll.expectJson().forEach(a -> a.validate(label));
        if (poll.everyDuration().isNegative() || poll.deadlineDuration().isZero() || poll.deadlineDuration().isNegative()) {
            throw RunbookException.configuration("Check '" + label + "': poll.every must be >= 0 and poll.deadline > 0.");
        }
        settleDuration();
    }

    private static void requirePath(String label, String path, String key) {
        if (path == null || !path.startsWith("/")) {
            throw RunbookException.configuration("Check '" + label + "': '" + key + "' must be a path starting with / (relative to the base URL), got "
                    + (path == null ? "nothing" : "'" + path + "'") + ".");
        }
    }

    private static void requireAllowedHeader(String label, String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.equals("authorization") || lower.equals("proxy-authorization") || lower.equals("cookie")) {
            throw RunbookException.configuration("Check '" + label + "': credentials do not belong in a check's headers (" + header
                    + "), where they would be stored and shown: configure 'auth' (bearer or basic) from an environment variable or a file.");
        }
        if (FORBIDDEN_HEADERS.contains(lower)) {
            throw RunbookException.configuration("Check '" + label + "': the header " + header + " is set by the HTTP client; remove it.");
        }
    }
}
