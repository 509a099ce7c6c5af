package io.migrationrunbook.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Counts matching events through Splunk's REST search export ({@code POST /services/search/jobs/export},
 * {@code output_mode=json}): the results stream back one JSON object per line, so nothing waits for a search job.
 * Authenticates with a bearer token (Splunk authentication tokens) or user and password (basic).
 */
public final class SplunkLogSearch implements LogSearch {

    private final URI baseUrl;
    private final Secret token;
    private final String user;
    private final Secret password;
    private final HttpClient http;
    private final Duration timeout;

    private SplunkLogSearch(URI baseUrl, Secret token, String user, Secret password, Duration timeout) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static SplunkLogSearch withToken(String baseUrl, Secret token) {
        if (token == null) {
            throw RunbookException.configuration("The Splunk search needs a token: set token_env or token_file (or user and password).");
        }
        return new SplunkLogSearch(parse(baseUrl), token, null, null, Duration.ofMinutes(2));
    }

    public static SplunkLogSearch withBasic(String baseUrl, String user, Secret password) {
        if (user == null || password == null) {
            throw RunbookException.configuration("The Splunk search needs a user and a password (or a token).");
        }
        return new SplunkLogSearch(parse(baseUrl), null, user, password, Duration.ofMinutes(2));
    }

    private static URI parse(String baseUrl) {
        try {
            URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
            if (uri.getHost() == null || uri.getScheme() == null || uri.getUserInfo() != null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (IllegalArgumentException | NullPointerException e) {
            // the URL may carry user:password@ (wrongly): never quote that part
            String shown = baseUrl == null ? "" : baseUrl.replaceAll("//[^/@]*@", "//" + Secret.MASK + "@");
            throw RunbookException.configuration("The Splunk URL must look like https://splunk.example.com:8089, got '" + shown + "'.");
        }
    }

    @Override
    public String describe() {
        return "Splunk at " + baseUrl.getHost() + (baseUrl.getPort() > 0 ? ":" + baseUrl.getPort() : "");
    }

    /** The search language wants a leading command; a bare query like {@code index=app level=ERROR} means "search ...". */
    static String searchCommand(String query) {
        String q = query.strip();
        return q.startsWith("|") || q.startsWith("search ") ? q : "search " + q;
    }

    @Override
    public LogSearchResult search(String query, Instant from, Instant to, int maxSamples) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("search", searchCommand(query));
        form.put("earliest_time", Long.toString(from.getEpochSecond()));
        form.put("latest_time", Long.toString(to.getEpochSecond() + 1));
        form.put("output_mode", "json");
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve("/services/search/jobs/export"))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token.reveal());
        } else {
            String basic = user + ":" + password.reveal();
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw RunbookException.environment("Cannot reach " + describe() + ": " + e.getClass().getSimpleName()
                    + ". Check the URL and that this machine can reach Splunk's management port.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted while searching " + describe());
        }
        long count = 0;
        List<String> samples = new ArrayList<>();
        // the body stream holds the connection: it is closed on the refusals too, not only after reading
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw RunbookException.environment(describe() + " refused the credentials (HTTP " + response.statusCode()
                        + "): check the token or user, and that the role may run searches.");
            }
            if (response.statusCode() / 100 != 2) {
                throw RunbookException.environment(describe() + " answered HTTP " + response.statusCode() + " to the search export.");
            }
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = Json.mapper().readTree(line);
                // preview rows are partial results that final rows repeat; only final results count
                if (event.path("preview").asBoolean(false)) {
                    continue;
                }
                JsonNode result = event.get("result");
                if (result == null || result.isNull()) {
                    continue;
                }
                count++;
                if (samples.size() < maxSamples) {
                    samples.add(result.path("_raw").asText(result.toString()));
                }
            }
        } catch (IOException e) {
            throw RunbookException.environment("The search export from " + describe() + " broke off: " + e.getMessage(), e);
        }
        return new LogSearchResult(describe(), query, from, to, count, samples);
    }
}
