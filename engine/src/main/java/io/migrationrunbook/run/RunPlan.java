package io.migrationrunbook.run;

import io.migrationrunbook.core.SecretRef;

import java.util.List;
import java.util.Map;

/**
 * A configured runbook ({@code runbook run --plan FILE}): the database, the migrations, the backup, the consumers and
 * how to pause them, the post-migration checks, the window, the notifications and the gates. Paths are relative to the
 * plan file. Secrets are references ({@code {env: NAME}} or {@code {file: PATH}}), never values.
 */
public record RunPlan(String name,
                      Database database,
                      Migrations migrations,
                      Backup backup,
                      Consumers consumers,
                      Verify verify,
                      Smoke smoke,
                      Lag lag,
                      DbErrors dbErrors,
                      Logs logs,
                      Window window,
                      List<Webhook> notifications,
                      Gates gates,
                      OnFailure onFailure) {

    public record Database(String url, String user, SecretRef password) {
    }

    /**
     * Flyway locations, the lock budget of {@code runbook migrate} and the Flyway placeholder values
     * ({@code placeholders: {schema: app}}: {@code ${schema}} in the migrations), used by every step that reads or
     * runs the migrations.
     */
    public record Migrations(List<String> locations, String target, String lockTimeout, String statementTimeout,
                             Integer lockRetries, Map<String, String> placeholders) {
    }

    public record Backup(Boolean enabled, String directory, String format, Integer jobs, Integer keep) {
    }

    /**
     * The consumers file (the same YAML as {@code runbook pause --consumers}) and when to pause: {@code auto} (when the
     * release's classification says its changes affect write paths), {@code always} or {@code never}.
     */
    public record Consumers(String config, String pause, String stateDir) {
    }

    public record Verify(String expect, Boolean rowCounts, List<String> assertions) {
    }

    public record Smoke(String baseUrl, String checks) {
    }

    public record Lag(Integer samples, String interval, String deadline, Long maxLag) {
    }

    public record DbErrors(Boolean enabled, String window, Double factor, Double minRate) {
    }

    public record Logs(String splunkUrl, SecretRef token, String query, Long maxErrors) {
    }

    public record Window(String days, String from, String to, String zone, String estimate, String waitUpTo) {
    }

    public record Webhook(String name, String format, SecretRef url, List<String> events) {
    }

    /** Human gates: approve the plan before anything changes; approve breaking changes explicitly. */
    public record Gates(Boolean approvePlan, Boolean approveBreaking) {
    }

    /** What a failure after the pause does: by default consumers stay paused and a human decides. */
    public record OnFailure(Boolean resumeConsumers) {
    }
}
