package io.migrationrunbook.migrate;

import java.util.List;

/**
 * What {@code runbook repair} found and did (or, as a dry run, would do).
 *
 * @param status             CLEAN (nothing to repair), NEEDS_REPAIR (dry run found something), REPAIRED, REFUSED (applied what
 *                           it may, but checksum mismatches of applied migrations were left: {@code --realign-checksums}
 *                           not given), FAILED (an action failed; the ones after it were skipped)
 * @param historyTable       the schema history table read, qualified
 * @param failedEntries      the history's failed rows
 * @param invalidIndexes     INVALID indexes in the managed schemas, each with whether repair drops it and why
 * @param checksumMismatches applied migrations whose file changed since (realigned only with {@code --realign-checksums})
 * @param actions            what was done (or would be done), in order
 * @param applied            false for the dry run: nothing was changed
 */
public record RepairResult(Status status, String database, List<String> schemas, String historyTable, boolean applied,
                           List<FailedEntry> failedEntries, List<IndexFinding> invalidIndexes, List<ChecksumMismatch> checksumMismatches,
                           List<Action> actions, List<String> warnings, long durationMs) {

    public enum Status { CLEAN, NEEDS_REPAIR, REPAIRED, REFUSED, FAILED }

    /** Exit 0: nothing to repair, or everything repaired. */
    public boolean passed() {
        return status == Status.CLEAN || status == Status.REPAIRED;
    }

    /**
     * A failed row of the schema history (what a non-transactional migration leaves when it fails).
     *
     * @param file            the migration file found in the locations (null when it is not there)
     * @param indexesCreated  the indexes its CREATE INDEX statements name ({@code schema.index} when qualified)
     */
    public record FailedEntry(int installedRank, String version, String description, String script, String installedOn, String file,
                              List<String> indexesCreated) {
    }

    /**
     * An INVALID index ({@code pg_index.indisvalid = false}).
     *
     * @param createdBy the failed migration whose script creates it ({@code V2}), or null
     * @param drop      whether repair drops it
     * @param reason    why it is dropped or left alone
     */
    public record IndexFinding(String schema, String table, String index, String definition, String createdBy, boolean drop,
                               String reason) {
    }

    /** An applied migration whose file no longer matches the checksum recorded when it was applied. */
    public record ChecksumMismatch(String version, String file, String message) {
    }

    /**
     * One step of the repair.
     *
     * @param kind       DROP_INVALID_INDEX, DELETE_FAILED_HISTORY_ROW or REALIGN_CHECKSUMS
     * @param target     what it acts on ({@code public.users_email_ux}, {@code V2})
     * @param sql        the statement it runs (or "flyway repair")
     * @param status     PLANNED (dry run), DONE, FAILED, SKIPPED (after an earlier failure)
     * @param retries    lock-timeout retries it needed
     * @param durationMs how long it took (null when not run)
     * @param message    the error of a failed step, or what a done step changed
     */
    public record Action(String kind, String target, String sql, String status, int retries, Long durationMs, String message) {

        Action with(String status, int retries, Long durationMs, String message) {
            return new Action(kind, target, sql, status, retries, durationMs, message);
        }
    }
}
