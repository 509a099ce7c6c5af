package io.migrationrunbook.migrate;

import java.util.List;

/**
 * What a migrate run did.
 *
 * @param initialVersion  schema version before the run (null: empty history)
 * @param finalVersion    schema version after it
 * @param applied         migrations applied by this run, in order, with durations and retries
 * @param totalDurationMs wall time of the whole run, retries and backoff included
 * @param totalRetries    lock-timeout retries over all migrations
 * @param failure         why it failed (null when it succeeded)
 * @param invalidIndexes  invalid indexes in the migrated schemas after the run
 */
public record MigrationResult(Status status, String database, List<String> schemas, String initialVersion, String finalVersion,
                              String targetVersion, List<AppliedMigration> applied, int migrationsApplied, long totalDurationMs,
                              int totalRetries, List<String> warnings, MigrationFailure failure, List<InvalidIndex> invalidIndexes) {

    public enum Status { SUCCESS, FAILED }

    public boolean succeeded() {
        return status == Status.SUCCESS;
    }
}
