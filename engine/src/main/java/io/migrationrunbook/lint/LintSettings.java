package io.migrationrunbook.lint;

import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.policy.ReleasePolicy;

import java.util.Map;
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
 * @param placeholders      Flyway placeholder values replaced before analysis (as {@code migrate} will); a placeholder
 *                          without a value is analysed as an identifier of its name and reported as info
 */
public record LintSettings(Severity failOn, long backfillRowThreshold, Set<String> disabledRules, Set<String> enabledRules,
                           DatabaseTarget database, CatalogFacts catalog, ReleasePolicy policy, boolean approveBreaking,
                           String fromVersion, Map<String, String> placeholders) {

    public LintSettings {
        placeholders = placeholders == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(placeholders));
    }

    public static final long DEFAULT_BACKFILL_ROWS = 10_000;

    public static LintSettings defaults() {
        return new LintSettings(Severity.ERROR, DEFAULT_BACKFILL_ROWS, Set.of(), Set.of(), null, null,
                ReleasePolicy.defaults(), false, null, Map.of());
    }

    public LintSettings withFailOn(Severity value) {
        return new LintSettings(value, backfillRowThreshold, disabledRules, enabledRules, database, catalog, policy, approveBreaking, fromVersion, placeholders);
    }

    public LintSettings withBackfillRowThreshold(long value) {
        return new LintSettings(failOn, value, disabledRules, enabledRules, database, catalog, policy, approveBreaking, fromVersion, placeholders);
    }

    public LintSettings withDisabledRules(Set<String> value) {
        return new LintSettings(failOn, backfillRowThreshold, Set.copyOf(value), enabledRules, database, catalog, policy, approveBreaking, fromVersion, placeholders);
    }

    public LintSettings withEnabledRules(Set<String> value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, Set.copyOf(value), database, catalog, policy, approveBreaking, fromVersion, placeholders);
    }

    public LintSettings withDatabase(DatabaseTarget value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, value, catalog, policy, approveBreaking, fromVersion, placeholders);
    }

    public LintSettings withCatalog(CatalogFacts value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, value, policy, approveBreaking, fromVersion, placeholders);
    }

    public LintSettings withPolicy(ReleasePolicy value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, catalog, value, approveBreaking, fromVersion, placeholders);
    }

    public LintSettings withApproveBreaking(boolean value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, catalog, policy, value, fromVersion, placeholders);
    }

    public LintSettings withFromVersion(String value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, catalog, policy,
                approveBreaking, value, placeholders);
    }

    /** Flyway placeholder values (see {@link io.migrationrunbook.migrate.MigrationSettings#placeholders(Map)}). */
    public LintSettings withPlaceholders(Map<String, String> value) {
        return new LintSettings(failOn, backfillRowThreshold, disabledRules, enabledRules, database, catalog, policy,
                approveBreaking, fromVersion, value);
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
