package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.smoke.SmokeFile;
import io.migrationrunbook.smoke.SmokeResult;
import io.migrationrunbook.smoke.SmokeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code runbook smoke}: the guide's post-migration API checks — a test transaction end to end, idempotent processing,
 * queries with {@code X-Correlation-ID: TEST:<uuid>} — from a checks file. Exit 0 when every check passed, 1 when one
 * failed (the service being unreachable is a failed check: it is what the smoke test is there to find).
 */
@Command(name = "smoke", description = "Run HTTP smoke checks (requests, a test transaction, idempotency) against the API.")
public class SmokeCommand extends EngineCommand {

    @Option(names = "--checks", paramLabel = "FILE", required = true, description = "Checks file, YAML or JSON (see docs/smoke.md).")
    Path checksFile;

    @Option(names = "--base-url", paramLabel = "URL", description = "Base URL of the API, e.g. http://ingestion:8080 (overrides the file's baseUrl).")
    String baseUrl;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token file (overrides the file's auth).")
    Path tokenFile;

    @Option(names = "--basic-user", paramLabel = "NAME", description = "Basic auth user; the password from --password-file.")
    String basicUser;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Basic auth password file.")
    Path passwordFile;

    @Option(names = "--correlation-header", paramLabel = "NAME", description = "Correlation header (default X-Correlation-ID).")
    String correlationHeader;

    @Option(names = "--correlation-prefix", paramLabel = "PREFIX", description = "Correlation id prefix (default TEST:).")
    String correlationPrefix;

    @Option(names = "--attempts", paramLabel = "N", description = "Attempts per request after connection errors and 5xx (default 3).")
    Integer attempts;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "Per-request timeout (default 10s).")
    Duration timeout;

    @Override
    protected Outcome run(Progress progress) {
        SmokeFile file = SmokeFile.load(checksFile);
        if (basicUser != null && passwordFile == null || basicUser == null && passwordFile != null) {
            throw RunbookException.configuration("--basic-user and --password-file go together.");
        }
        SmokeSettings settings = file.toSettings().progress(progress);
        if (baseUrl != null) {
            settings.baseUrl(baseUrl);
        }
        if (tokenFile != null) {
            settings.basicAuth(null, null).bearerToken(Secret.fromFile(tokenFile));
        }
        if (basicUser != null) {
            settings.bearerToken(null).basicAuth(basicUser, Secret.fromFile(passwordFile));
        }
        if (correlationHeader != null) {
            settings.correlationHeader(correlationHeader);
        }
        if (correlationPrefix != null) {
            settings.correlationPrefix(correlationPrefix);
        }
        if (attempts != null) {
            settings.attempts(attempts);
        }
        if (timeout != null) {
            settings.requestTimeout(timeout);
        }
        SmokeResult result = settings.run();
        return Outcome.of(result, result.passed(), result.summary());
    }
}
