package io.migrationrunbook.smoke;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a smoke test run, fluent: {@code SmokeTest.configure().baseUrl(url).checks(list).bearerToken(secret).run()}.
 * Credentials are {@link Secret}s: they go into the Authorization header and nowhere else.
 */
public final class SmokeSettings {

    public static final String DEFAULT_CORRELATION_HEADER = "X-Correlation-ID";
    public static final String DEFAULT_CORRELATION_PREFIX = "TEST:";

    private String baseUrl;
    private final List<SmokeCheck> checks = new ArrayList<>();
    private String correlationHeader = DEFAULT_CORRELATION_HEADER;
    private String correlationPrefix = DEFAULT_CORRELATION_PREFIX;
    private Secret bearerToken;
    private String basicUser;
    private Secret basicPassword;
    private int attempts = 3;
    private Duration backoff = Duration.ofMillis(200);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Progress progress = Progress.silent();

    SmokeSettings() {
    }

    /** The service's base URL, e.g. {@code http://ingestion:8080} (check paths are relative to it). */
    public SmokeSettings baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        return this;
    }

    public SmokeSettings checks(List<SmokeCheck> checks) {
        this.checks.clear();
        this.checks.addAll(checks);
        return this;
    }

    public SmokeSettings check(SmokeCheck check) {
        this.checks.add(check);
        return this;
    }

    /** The header every request carries ({@value #DEFAULT_CORRELATION_HEADER} by default). */
    public SmokeSettings correlationHeader(String header) {
        this.correlationHeader = header;
        return this;
    }

    /** The id's prefix ({@value #DEFAULT_CORRELATION_PREFIX} by default): the id is prefix + a random UUID. */
    public SmokeSettings correlationPrefix(String prefix) {
        this.correlationPrefix = prefix;
        return this;
    }

    public SmokeSettings bearerToken(Secret token) {
        this.bearerToken = token;
        return this;
    }

    public SmokeSettings basicAuth(String user, Secret password) {
        this.basicUser = user;
        this.basicPassword = password;
        return this;
    }

    /** Attempts per request (1 = no retry) after connection errors and 5xx answers, with exponential backoff. */
    public SmokeSettings retries(int attempts, Duration backoff) {
        this.attempts = attempts;
        this.backoff = Objects.requireNonNull(backoff);
        return this;
    }

    /** Attempts per request, keeping the backoff. */
    public SmokeSettings attempts(int attempts) {
        this.attempts = attempts;
        return this;
    }

    public SmokeSettings requestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    public SmokeSettings progress(Progress progress) {
        this.progress = progress == null ? Progress.silent() : progress;
        return this;
    }

    public SmokeResult run() {
        return new SmokeTest(this).run();
    }

    URI validatedBaseUri() {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw RunbookException.configuration("No base URL for the smoke checks: pass --base-url http://HOST:PORT (or set baseUrl in the checks file).");
        }
        URI uri;
        try {
            uri = URI.create(baseUrl.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw RunbookException.configuration("The base URL '" + baseUrl + "' is not a URL: write it like http://HOST:PORT.");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw RunbookException.configuration("The base URL '" + baseUrl + "' must be http:// or https:// with a host.");
        }
        if (uri.getUserInfo() != null) {
            throw RunbookException.configuration("The base URL must not carry credentials (user:password@): configure auth instead.");
        }
        if (checks.isEmpty()) {
            throw RunbookException.configuration("No smoke checks configured: the checks file needs a 'checks' list.");
        }
        for (int i = 0; i < checks.size(); i++) {
            checks.get(i).validate(i);
        }
        if (correlationHeader == null || !correlationHeader.matches("[A-Za-z0-9-]+")) {
            throw RunbookException.configuration("The correlation header name '" + correlationHeader + "' is not a valid header name.");
        }
        if (attempts < 1 || attempts > 20) {
            throw RunbookException.configuration("retries.attempts must be between 1 and 20, got " + attempts + ".");
        }
        if (bearerToken != null && basicUser != null) {
            throw RunbookException.configuration("Configure either a bearer token or basic credentials for the smoke checks, not both.");
        }
        if (basicUser != null && basicPassword == null) {
            throw RunbookException.configuration("Basic auth for the smoke checks needs a password (from an environment variable or a file).");
        }
        return uri;
    }

    String baseUrl() {
        return baseUrl;
    }

    List<SmokeCheck> checks() {
        return List.copyOf(checks);
    }

    String correlationHeader() {
        return correlationHeader;
    }

    String correlationPrefix() {
        return correlationPrefix == null ? "" : correlationPrefix;
    }

    Secret bearerToken() {
        return bearerToken;
    }

    String basicUser() {
        return basicUser;
    }

    Secret basicPassword() {
        return basicPassword;
    }

    int attempts() {
        return attempts;
    }

    Duration backoff() {
        return backoff;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Progress progress() {
        return progress;
    }
}
