package io.migrationrunbook.run;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.lint.LintReport;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.lint.Linter;
import io.migrationrunbook.migrate.PendingMigration;
import io.migrationrunbook.policy.PolicyDecision;
import io.migrationrunbook.policy.ReleasePolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real advisor: classifies the pending migrations with the linter's classifier (against the target's catalog when
 * given) and applies the release policy. Refuses a release the policy refuses (mixed breaking and non-breaking, a
 * backfill) by throwing; asks for approval of breaking changes; pauses consumers only when a change affects the
 * write path (a purely additive, non-locking release runs with the consumers on: pause window zero).
 */
public final class PolicyReleaseAdvisor implements ReleaseAdvisor {

    private final ReleasePolicy policy;
    private final long backfillRowThreshold;

    public PolicyReleaseAdvisor(ReleasePolicy policy) {
        this(policy, LintSettings.DEFAULT_BACKFILL_ROWS);
    }

    public PolicyReleaseAdvisor(ReleasePolicy policy, long backfillRowThreshold) {
        this.policy = policy;
        this.backfillRowThreshold = backfillRowThreshold;
    }

    public ReleasePolicy policy() {
        return policy;
    }

    @Override
    public PauseAdvice advise(List<PendingMigration> pending) {
        return advise(null, pending);
    }

    @Override
    public PauseAdvice advise(DatabaseTarget target, List<PendingMigration> pending) {
        return advise(target, pending, Map.of());
    }

    @Override
    public PauseAdvice advise(DatabaseTarget target, List<PendingMigration> pending, Map<String, String> placeholders) {
        if (pending.isEmpty()) {
            return new PauseAdvice(false, "nothing to migrate: no pause needed", null);
        }
        if (pending.stream().anyMatch(p -> p.file() == null || p.file().isEmpty())) {
            return new PauseAdvice(true, "some pending migrations are inside a jar and cannot be classified: pausing to be safe", null);
        }
        LintSettings settings = LintSettings.defaults().withPolicy(policy).withBackfillRowThreshold(backfillRowThreshold)
                .withPlaceholders(placeholders);
        if (target != null) {
            settings = settings.withDatabase(target);
        }
        LintReport report = Linter.lint(pending.stream().map(p -> Path.of(p.file())).toList(), settings);
        PolicyDecision decision = report.decision();
        if (!decision.refusals().isEmpty()) {
            throw RunbookException.checkFailed("The release policy refuses this release: " + String.join("; ", decision.refusals())
                    + ". Nothing was changed.");
        }
        String why = decision.consumersMustPause()
                ? "the release affects write paths: " + String.join("; ", decision.pauseReasons())
                : "the release is additive and takes no write-blocking lock: consumers keep running (pause window zero)";
        return new PauseAdvice(decision.consumersMustPause(), why, report.classification(),
                decision.needsApproval() ? decision.approvalReasons() : List.of());
    }
}
