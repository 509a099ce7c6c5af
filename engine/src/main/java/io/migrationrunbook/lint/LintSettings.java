package io.migrationrunbook.lint;

import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.policy.ReleasePolicy;

import java.util.Set;

/**
 * What a lint run checks and how strict it is. Immutable: each {@code withX} returns a copy.
 *
 * @param failOn            the lowest severity that makes the run fail (exit 1)
 * @param backfillRowThreshold DML estimated to touch more rows than this is a backfill
 * @param disabledRules     rule ids switched off
 * @param enabledRules      rule ids switched on that are off by default (e.g. require-lock-timeout)
 * @param database          optional database for row estimates and column types (read only)
 * @param catalog           catalog facts given directly (tests, precheck); wins over {@code database}
 * @param policy            release policy for the decision shown with the findings
 * @param approveBreaking   breaking changes were approved (CLI flag, Jenkins input)
 * @param fromVersion       migrations with a lower Flyway version are already applied: read for context (tables they
 *                          create, column types) but neither reported nor classified; null: every file is in the release
 */
public record LintSettings(Severity failOn, long backfillRowThreshold, Set<String> disabledRules, Set<String> enabledRules,
                           DatabaseTarget database, CatalogFacts catalog, ReleasePolicy policy, boolean approveBreaking,
                           String fromVersion) {

    public static final long DEFAULT_BACKFILL_ROWS = 10_000;

    public static LintSettings defaults() {
        return new LintSettings(Severity.ERROR, DEFAULT_BACKFILL_ROWS, Set.of(), Set.of(), null, null,
                ReleasePolicy.defaults(), false, null);
    }

    public LintSettings withFailOn(Severity value) {
        return new LintSettings(value, backfillRowThreshold, disabledRules, enabledRules, database, catalog, policy, approveBreaking, fromVersion);
    }

    public LintSettings withBackfillRowThreshold(long value) {
        return new LintSettings(failOn, value, disabledRules, enabledRules, database, catalog, policy, approveBreaking, fromVersion);
    }

    public LintSettings withDisabledRules(Set<String> value) {
        return new LintSettings(failOn, backfillRowThreshold, Set.copyOf(value), enabledRules, database, catalog, policy, approveBreaking, fromVersion);
    }

    public LintSettings withEnabledRules(Set<String> value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, Set.copyOf(value), database, catalog, policy, approveBreaking, fromVersion);
    }

    public LintSettings withDatabase(DatabaseTarget value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, value, catalog, policy, approveBreaking, fromVersion);
    }

    public LintSettings withCatalog(CatalogFacts value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, value, policy, approveBreaking, fromVersion);
    }

    public LintSettings withPolicy(ReleasePolicy value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, catalog, value, approveBreaking, fromVersion);
    }

    public LintSettings withApproveBreaking(boolean value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, catalog, policy, value, fromVersion);
    }

    public LintSettings withFromVersion(String value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, catalog, policy,
                approveBreaking, value);
    }

    /** True when the migration belongs to the release being checked (see {@code fromVersion}). */
    public boolean inRelease(Migration migration) {
        return fromVersion == null || migration.version() == null
                || MigrationLoader.compareVersions(migration.version(), fromVersion) >= 0;
    }

    public boolean isEnabled(LintRule rule) {
        if (disabledRules.contains(rule.id())) {
            return false;
        }
        return rule.enabledByDefault() || enabledRules.contains(rule.id());
    }
}
