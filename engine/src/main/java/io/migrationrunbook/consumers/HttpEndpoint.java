package io.migrationrunbook.consumers;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.core.SecretRef;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP calls with credentials resolved once (basic or bearer, or secret headers), for the http and kafka-connect
 * controllers. Every text that leaves this class (errors quoting a response) has the secrets redacted.
 */
final class HttpEndpoint {

    /** One response: status and body. */
    record Response(int status, String body) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<Secret> secrets = new ArrayList<>();

    /**
     * @param auth        null for none
     * @param headerSpecs header name to a String value or a SecretRef
     */
    HttpEndpoint(HttpAuth auth, Map<String, Object> headerSpecs, Duration timeout,
                 String key) {
        this(auth, headerSpecs, timeout, key, null);
    }

    /** @param tls the TLS context to trust a private CA (the Kubernetes API server's); null for the JVM's trust store */
    HttpEndpoint(HttpAuth auth, Map<String, Object> headerSpecs, Duration timeout, String key, javax.net.ssl.SSLContext tls) {
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
        for (Map.Entry<String, Object> header : headerSpecs.entrySet()) {
            if (header.getValue() instanceof SecretRef ref) {
                Secret secret = ref.resolve(key + ".headers." + header.getKey());
                secrets.add(secret);
                headers.put(header.getKey(), secret.reveal());
            } else {
                headers.put(header.getKey(), String.valueOf(header.getValue()));
            }
        }
        if (auth != null && auth.type().equals("basic")) {
            Secret password = auth.credential().resolve(key + ".auth.password");
            secrets.add(password);
            String token = Base64.getEncoder().encodeToString((auth.username() + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8));
            secrets.add(Secret.of(token));
            headers.put("Authorization", "Basic " + token);
        } else if (auth != null) {
            Secret token = auth.credential().resolve(key + ".auth.token");
            secrets.add(token);
            headers.put("Authorization", "Bearer " + token.reveal());
        }
    }

    Response send(String method, String url, String body) {
        return send(method, url, body, Map.of());
    }

    Response send(String method, String url, String body, Map<String, String> extraHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        boolean hasContentType = false;
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(extraHeaders);
        for (Map.Entry<String, String> header : all.entrySet()) {
            request.header(header.getKey(), header.getValue());
            hasContentType |= header.getKey().equalsIgnoreCase("Content-Type");
        }
        if (body != null && !hasContentType) {
            request.header("Content-Type", "application/json");
        }
        request.header("Accept", "application/json");
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw RunbookException.environment(method + " " + url + " failed: " + redact(String.valueOf(e.getMessage()))
                    + " (" + e.getClass().getSimpleName() + "). Check that the service is up and the URL is right.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted during " + method + " " + url + ".", e);
        }
    }

    /** Sends and requires a 2xx answer. */
    Response expectSuccess(String method, String url, String body, String purpose) {
        return expectSuccess(method, url, body, Map.of(), purpose);
    }

    /**
     * Sends and requires a 2xx answer. A 5xx answer or a connection failure is retried ({@value #ATTEMPTS} attempts in all,
     * backoff {@value #FIRST_BACKOFF_MS} ms doubling): pause and resume calls set a mode, so repeating one is harmless, and a
     * controller restarting under a rolling deploy must not fail the run. 4xx answers are not retried.
     */
    Response expectSuccess(String method, String url, String body, Map<String, String> extraHeaders, String purpose) {
        Response response = null;
        for (int attempt = 1; ; attempt++) {
            try {
                response = send(method, url, body, extraHeaders);
            } catch (RunbookException e) {
                if (attempt >= ATTEMPTS || Thread.currentThread().isInterrupted()) {
                    throw RunbookException.environment(purpose + " (" + attempt + " attempts): " + e.getMessage(), e);
                }
                backoff(attempt);
                continue;
            }
            if (response.status() / 100 == 2) {
                return response;
            }
            if (response.status() < 500 || attempt >= ATTEMPTS) {
                break;
            }
            backoff(attempt);
        }
        throw RunbookException.environment(purpose + ": " + method + " " + url + " answered HTTP " + response.status()
                + (response.status() >= 500 ? " on all " + ATTEMPTS + " attempts" : "")
                + (response.body() == null || response.body().isBlank() ? "" : " " + snippet(response.body()))
                + (response.status() == 401 || response.status() == 403 ? ". Check the credentials in auth." : "."));
    }

    static final int ATTEMPTS = 3;
    static final long FIRST_BACKOFF_MS = 250;

    private static void backoff(int attempt) {
        try {
            Thread.sleep(FIRST_BACKOFF_MS << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String snippet(String body) {
        String text = redact(body).replaceAll("\\s+", " ").trim();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    String redact(String text) {
        String result = text;
        for (Secret secret : secrets) {
            result = secret.redact(result);
        }
        return result;
    }
}
