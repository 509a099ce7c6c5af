package io.migrationrunbook.migrate;

/**
 * A migration applied by this run.
 *
 * @param durationMs how long the successful attempt took
 * @param retries    attempts that failed on a lock timeout (and rolled back) before it succeeded
 * @param waitedMs   time spent in those failed attempts and the backoff between them
 */
public record AppliedMigration(String version, String description, String script, String file, Boolean transactional,
                               long durationMs, int retries, long waitedMs) {
}
