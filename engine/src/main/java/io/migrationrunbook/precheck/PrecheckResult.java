package io.migrationrunbook.precheck;

import java.util.List;

/**
 * The result of {@code runbook precheck} (its JSON, and the {@code migrationPrecheck} step's details).
 *
 * @param status           the worst check: {@code fail} stops the release
 * @param database         the target database
 * @param serverVersion    PostgreSQL version of the target
 * @param user             the migration user
 * @param currentVersion   the highest successfully applied version, or null
 * @param checks           every check in order
 * @param plan             what will run and what the policy says
 * @param blockingSessions long transactions found on the target
 * @param durationMs       how long the checks took
 */
public record PrecheckResult(CheckStatus status, String database, String serverVersion, String user, String currentVersion,
                             List<CheckResult> checks, ReleasePlan plan, List<BlockingSession> blockingSessions,
                             long durationMs) {

    public boolean passed() {
        return status != CheckStatus.FAIL;
    }

    public List<CheckResult> failed() {
        return checks.stream().filter(c -> c.status() == CheckStatus.FAIL).toList();
    }

    public CheckResult check(String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    /** One line naming the failed checks, for a step's reason. */
    public String failureSummary() {
        return failed().stream().map(c -> c.id() + ": " + c.summary() + (c.details().isEmpty() ? ""
                        : " (" + String.join("; ", c.details().subList(0, Math.min(3, c.details().size())))
                        + (c.details().size() > 3 ? "; and " + (c.details().size() - 3) + " more" : "") + ")"))
                .reduce((a, b) -> a + "; " + b).orElse("no check failed");
    }
}
