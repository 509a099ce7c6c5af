package io.migrationrunbook.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.smoke.SmokeResult.CheckResult;
import io.migrationrunbook.smoke.SmokeResult.RequestTiming;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs smoke checks against an HTTP API after a migration (the {@code smokeTestApi} step, {@code runbook smoke}). Every
 * request carries a correlation header ({@code X-Correlation-ID: TEST:<uuid>} by default; one id per check, so all its
 * requests are found with one log search); failures quote it. Connection errors and 5xx answers are retried with
 * exponential backoff. Bad settings are refused before the first request.
 */
public final class SmokeTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(uuid|correlationId|response:([^}]*))}");

    private final SmokeSettings settings;
    private final HttpClient http;
    private URI base;

    SmokeTest(SmokeSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static SmokeSettings configure() {
        return new SmokeSettings();
    }

    SmokeResult run() {
        base = settings.validatedBaseUri();
        Progress progress = settings.progress();
        long start = System.nanoTime();
        List<CheckResult> results = new ArrayList<>();
        for (SmokeCheck check : settings.checks()) {
            progress.report("smoke: %s (%s) ...", check.name(), check.type().label());
            CheckResult result = runCheck(check);
            results.add(result);
            progress.report("smoke: %s %s in %d ms (%s: %s)%s", check.name(), result.passed() ? "passed" : "FAILED", result.durationMs(),
                    settings.correlationHeader(), result.correlationId(),
                    result.failures().isEmpty() ? "" : "\n  " + String.join("\n  ", result.failures()));
        }
        int failed = (int) results.stream().filter(r -> !r.passed()).count();
        return new SmokeResult(base.toString(), failed == 0, results.size(), failed, settings.correlationHeader(),
                millisSince(start), List.copyOf(results));
    }

    /** The state of one check run: its correlation id, placeholders, requests made and failures seen. */
    private final class CheckRun {
        final SmokeCheck check;
        final String correlationId = settings.correlationPrefix() + UUID.randomUUID();
        final String uuid = UUID.randomUUID().toString();
        final List<RequestTiming> requests = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        JsonNode firstResponse;

        CheckRun(SmokeCheck check) {
            this.check = check;
        }

        void fail(String message) {
            failures.add(redact(message) + " [" + settings.correlationHeader() + ": " + correlationId + "]");
        }

        String substitute(String text) {
            if (text == null) {
                return null;
            }
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value;
                if (m.group(1).equals("uuid")) {
                    value = uuid;
                } else if (m.group(1).equals("correlationId")) {
                    value = correlationId;
                } else {
                    JsonNode node = firstResponse == null ? null : firstResponse.at(m.group(2));
                    value = node == null || node.isMissingNode() ? "" : node.asText();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }

        JsonNode substitute(JsonNode node) {
            if (node == null) {
                return null;
            }
            if (node.isTextual()) {
                return TextNode.valueOf(substitute(node.asText()));
            }
            if (node.isObject()) {
                ObjectNode copy = Json.mapper().createObjectNode();
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    copy.set(field.getKey(), substitute(field.getValue()));
                }
                return copy;
            }
            if (node.isArray()) {
                ArrayNode copy = Json.mapper().createArrayNode();
                node.forEach(element -> copy.add(substitute(element)));
                return copy;
            }
            return node;
        }
    }

    private CheckResult runCheck(SmokeCheck check) {
        long start = System.nanoTime();
        CheckRun run = new CheckRun(check);
        try {
            switch (check.type()) {
                case REQUEST -> mainRequest(run, "request");
                case TRANSACTION -> {
                    if (mainRequest(run, "request")) {
                        poll(run, "poll");
                    }
                }
                case IDEMPOTENCY -> {
                    boolean first = mainRequest(run, "request");
                    boolean second = first && mainRequest(run, "repeat");
                    if (second && poll(run, "poll")) {
                        // the effect appeared once; wait for the duplicate to be consumed too, then it must be unchanged
                        sleep(check.settleDuration());
                        Exchange again = send(run, "recheck", check.poll().effectiveMethod(), run.substitute(check.poll().path()),
                                check.poll().headers(), null, settings.attempts());
                        List<String> problems = evaluate(run, again, check.poll().effectiveStatus(), check.poll().expectJson(), false);
                        for (String problem : problems) {
                            run.fail("after sending the same request twice and waiting " + Progress.format(check.settleDuration())
                                    + ", the effect is no longer as expected (applied twice?): " + again.describe() + ": " + problem);
                        }
                    }
                }
                default -> throw new IllegalStateException(check.type().name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.fail("interrupted");
        }
        return new CheckResult(check.name(), check.type().label(), run.failures.isEmpty(), run.correlationId, millisSince(start),
                List.copyOf(run.requests), List.copyOf(run.failures));
    }

    /** Sends the check's own request and evaluates it; true when it passed. */
    private boolean mainRequest(CheckRun run, String step) throws InterruptedException {
        SmokeCheck check = run.check;
        Exchange exchange = send(run, step, check.effectiveMethod(), run.substitute(check.path()), check.headers(),
                run.substitute(check.body()), settings.attempts());
        if (run.firstResponse == null && exchange.json() != null) {
            run.firstResponse = exchange.json();
        }
        List<String> problems = new ArrayList<>(evaluate(run, exchange, check.expectStatus(), check.expectJson(), check.mustEcho()));
        Duration budget = check.latencyBudgetDuration();
        if (exchange.status() != null && budget != null && exchange.durationMs() > budget.toMillis()) {
            problems.add("took " + exchange.durationMs() + " ms, over the latency budget of " + budget.toMillis() + " ms");
        }
        problems.forEach(problem -> run.fail(exchange.describe() + ": " + problem));
        return problems.isEmpty();
    }

    /** Repeats the poll query until it passes or its deadline passes; true when it passed. */
    private boolean poll(CheckRun run, String step) throws InterruptedException {
        SmokeCheck.Poll poll = run.check.poll();
        String path = run.substitute(poll.path());
        long start = System.nanoTime();
        long deadline = start + poll.deadlineDuration().toNanos();
        int polls = 0;
        Exchange last;
        List<String> problems;
        while (true) {
            polls++;
            last = sendOnce(run, poll.effectiveMethod(), path, poll.headers(), null);
            problems = evaluate(run, last, poll.effectiveStatus(), poll.expectJson(), false);
            if (problems.isEmpty() || System.nanoTime() + poll.everyDuration().toNanos() > deadline) {
                break;
            }
            sleep(poll.everyDuration());
        }
        run.requests.add(new RequestTiming(step, poll.effectiveMethod(), path, last.status(), 1, millisSince(start), polls, last.error()));
        if (!problems.isEmpty()) {
            String seen = last.describe() + ": " + String.join("; ", problems);
            run.fail("the effect did not appear within " + Progress.format(poll.deadlineDuration()) + " (" + polls + " queries); last: " + seen);
            return false;
        }
        return true;
    }

    private List<String> evaluate(CheckRun run, Exchange exchange, Integer expectStatus, List<JsonAssertion> assertions, boolean mustEcho) {
        List<String> problems = new ArrayList<>();
        if (exchange.status() == null) {
            problems.add("no answer: " + exchange.error());
            return problems;
        }
        int status = exchange.status();
        if (expectStatus != null ? status != expectStatus : status / 100 != 2) {
            problems.add("status " + status + ", expected " + (expectStatus != null ? expectStatus : "2xx") + bodyExcerpt(exchange));
            return problems;
        }
        if (mustEcho) {
            String echoed = exchange.correlationEcho();
            if (!exchange.sentCorrelationId().equals(echoed)) {
                problems.add("the response did not echo " + settings.correlationHeader() + " (got " + (echoed == null ? "none" : "'" + echoed + "'") + ")");
            }
        }
        if (!assertions.isEmpty()) {
            JsonNode json = exchange.json();
            if (json == null) {
                problems.add("the response is not JSON" + bodyExcerpt(exchange));
                return problems;
            }
            JsonNode redacted = null;
            for (JsonAssertion assertion : assertions) {
                JsonAssertion expected = assertion.substituted(run::substitute);
                String failure = expected.failure(json);
                if (failure != null) {
                    // the failure quotes shortened values: word it over the redacted body, so a credential the server
                    // echoes cannot be cut in half (and then escape redaction) by the shortening
                    redacted = redacted != null ? redacted : redactedJson(exchange);
                    String shown = redacted == null ? null : expected.failure(redacted);
                    problems.add(shown != null ? shown : failure);
                }
            }
        }
        return problems;
    }

    private JsonNode redactedJson(Exchange exchange) {
        try {
            return Json.mapper().readTree(redact(exchange.body()));
        } catch (IOException e) {
            return null;
        }
    }

    /** Redacts before shortening: a credential cut in half by the shortening would no longer match and half of it would show. */
    private String bodyExcerpt(Exchange exchange) {
        String body = exchange.body();
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = redact(body).replaceAll("\\s+", " ").trim();
        return " (body: " + (oneLine.length() > 200 ? oneLine.substring(0, 197) + "..." : oneLine) + ")";
    }

    /** One request as sent and answered (the last attempt), or the error of the last attempt. */
    private record Exchange(String method, String path, String sentCorrelationId, Integer status, String body, String correlationEcho,
                            long durationMs, int attempts, String error) {
        JsonNode json() {
            if (body == null || body.isBlank()) {
                return null;
            }
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        String describe() {
            return method + " " + path + (status != null ? " answered " + status : " failed") + (attempts > 1 ? " after " + attempts + " attempts" : "");
        }
    }

    private Exchange send(CheckRun run, String step, String method, String path, Map<String, String> headers, JsonNode body, int attempts)
            throws InterruptedException {
        Exchange exchange = null;
        Duration wait = settings.backoff();
        long start = System.nanoTime();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            exchange = sendOnce(run, method, path, headers, body);
            exchange = new Exchange(exchange.method(), exchange.path(), exchange.sentCorrelationId(), exchange.status(), exchange.body(),
                    exchange.correlationEcho(), exchange.durationMs(), attempt, exchange.error());
            boolean retryable = exchange.status() == null || exchange.status() >= 500;
            if (!retryable || attempt == attempts) {
                break;
            }
            sleep(wait);
            wait = wait.multipliedBy(2);
        }
        run.requests.add(new RequestTiming(step, method, path, exchange.status(), exchange.attempts(), exchange.durationMs(), null, exchange.error()));
        return exchange;
    }

    private Exchange sendOnce(CheckRun run, String method, String path, Map<String, String> headers, JsonNode body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(settings.requestTimeout())
                .header(settings.correlationHeader(), run.correlationId)
                .header("Accept", "application/json");
        boolean hasContentType = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request.header(header.getKey(), run.substitute(header.getValue()));
            hasContentType |= header.getKey().equalsIgnoreCase("Content-Type");
        }
        if (body != null && !hasContentType) {
            request.header("Content-Type", body.isTextual() ? "text/plain; charset=utf-8" : "application/json");
        }
        authorize(request);
        String payload = body == null ? null : body.isTextual() ? body.asText() : Json.write(body);
        request.method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Exchange(method, path, run.correlationId, response.statusCode(), response.body(),
                    response.headers().firstValue(settings.correlationHeader()).orElse(null), millisSince(start), 1, null);
        } catch (IOException e) {
            String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Exchange(method, path, run.correlationId, null, null, null, millisSince(start), 1, redact(error));
        }
    }

    private void authorize(HttpRequest.Builder request) {
        Secret token = settings.bearerToken();
        if (token != null) {
            request.header("Authorization", "Bearer " + token.reveal());
        } else if (settings.basicUser() != null) {
            String pair = settings.basicUser() + ":" + settings.basicPassword().reveal();
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** A server that echoes the Authorization header into an error body must not put the credential in the report. */
    private String redact(String text) {
        String out = text;
        if (settings.bearerToken() != null) {
            out = settings.bearerToken().redact(out);
        }
        if (settings.basicPassword() != null) {
            out = settings.basicPassword().redact(out);
            String pair = settings.basicUser() + ":" + settings.basicPassword().reveal();
            out = out.replace(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)), Secret.MASK);
        }
        return out;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
