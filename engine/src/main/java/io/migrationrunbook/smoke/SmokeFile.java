package io.migrationrunbook.smoke;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.migrationrunbook.core.Durations;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.SecretRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A checks file ({@code runbook smoke --checks FILE}), YAML or JSON:
 * <pre>
 * baseUrl: http://ingestion:8080          # --base-url overrides it
 * correlation: {header: X-Correlation-ID, prefix: "TEST:"}
 * auth: {bearer: {env: API_TOKEN}}         # or {basic: {user: smoke, password: {file: /run/secrets/pw}}}
 * retries: {attempts: 3, backoff: 200ms}
 * timeout: 10s
 * checks: [ ... SmokeCheck ... ]
 * </pre>
 * Credentials are references (environment variable or file), never values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmokeFile(String baseUrl, Correlation correlation, Auth auth, Retries retries, String timeout, List<SmokeCheck> checks) {

    public record Correlation(String header, String prefix) {
    }

    public record Auth(SecretRef bearer, Basic basic) {
    }

    public record Basic(String user, SecretRef password) {
    }

    public record Retries(Integer attempts, String backoff) {
    }

    public static SmokeFile load(Path file) {
        try {
            SmokeFile parsed = Json.yaml().readValue(Files.readString(file), SmokeFile.class);
            if (parsed == null) {
                throw RunbookException.configuration("The checks file " + file + " is empty: it needs a 'checks' list.");
            }
            return parsed;
        } catch (NoSuchFileException e) {
            throw RunbookException.configuration("The checks file " + file + " does not exist: pass --checks FILE (YAML or JSON).");
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RunbookException re) {
                throw re;
            }
            throw RunbookException.configuration("The checks file " + file + " is not valid: " + e.getOriginalMessage()
                    + " at " + e.getPathReference() + ". See docs/smoke.md for the format.");
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read the checks file " + file + ": " + e.getMessage());
        }
    }

    /** Settings for a run; secrets are read from their environment variable or file now. */
    public SmokeSettings toSettings() {
        SmokeSettings settings = SmokeTest.configure().baseUrl(baseUrl).checks(checks == null ? List.of() : checks);
        if (correlation != null) {
            if (correlation.header() != null) {
                settings.correlationHeader(correlation.header());
            }
            if (correlation.prefix() != null) {
                settings.correlationPrefix(correlation.prefix());
            }
        }
        if (auth != null) {
            if (auth.bearer() != null) {
                settings.bearerToken(auth.bearer().resolve("auth.bearer"));
            }
            if (auth.basic() != null) {
                if (auth.basic().user() == null || auth.basic().password() == null) {
                    throw RunbookException.configuration("auth.basic needs 'user' and 'password' (an env or file reference).");
                }
                settings.basicAuth(auth.basic().user(), auth.basic().password().resolve("auth.basic.password"));
            }
        }
        if (retries != null) {
            settings.retries(retries.attempts() == null ? 3 : retries.attempts(),
                    retries.backoff() == null ? java.time.Duration.ofMillis(200) : Durations.parse(retries.backoff()));
        }
        if (timeout != null) {
            settings.requestTimeout(Durations.parse(timeout));
        }
        return settings;
    }
}
