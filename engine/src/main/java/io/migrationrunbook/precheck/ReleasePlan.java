package io.migrationrunbook.precheck;

import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.policy.ClassifiedChange;

import java.util.List;
import java.util.Set;

/**
 * What the release will do, for the approver and the runbook: the pending migrations in order with their
 * classification, whether consumers must be paused, what needs approval and what the policy refuses.
 *
 * @param pending            the migrations {@code migrate} will apply, in order
 * @param classes            the release's change classes
 * @param consumersMustPause the release affects write paths; false: the runbook skips the pause (window zero)
 * @param pauseReasons       the changes that need the pause
 * @param needsApproval      breaking changes (by default) need a human's approval
 * @param approvalReasons    what needs approving
 * @param approved           the approval was given up front ({@code --approve-breaking})
 * @param refusals           why the policy refuses the release (mixed breaking and non-breaking, backfill ...)
 * @param allowed            no refusal, and approval given where needed
 */
public record ReleasePlan(List<PlannedMigration> pending, Set<ChangeClass> classes, boolean consumersMustPause,
                          List<String> pauseReasons, boolean needsApproval, List<String> approvalReasons, boolean approved,
                          List<String> refusals, boolean allowed) {

    /**
     * One pending migration.
     *
     * @param transactional false when Flyway runs it outside a transaction (a failure may leave it half done)
     * @param tables        existing tables it changes (what ownership and blocking sessions are checked against)
     */
    public record PlannedMigration(String version, String description, String script, String file, Boolean transactional,
                                   Set<ChangeClass> classes, boolean consumersMustPause, List<ClassifiedChange> changes,
                                   List<String> tables) {
    }

    static ReleasePlan empty() {
        return new ReleasePlan(List.of(), Set.of(), false, List.of(), false, List.of(), false, List.of(), true);
    }
}
