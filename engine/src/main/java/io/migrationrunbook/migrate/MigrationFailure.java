package io.migrationrunbook.migrate;

/**
 * Why a migrate run failed, with everything an operator needs to act: which file, which statement, the SQLSTATE,
 * whether PostgreSQL rolled the migration back, and the fix.
 *
 * @param statement           the SQL statement that failed, as Flyway reports it (may be null)
 * @param line                its line in the file (may be null)
 * @param transactional       whether the migration ran in a transaction (null when unknown)
 * @param rolledBack          true when nothing of this migration remains (its transaction rolled back)
 * @param failedHistoryEntry  true when the schema history now holds a failed row for it (non-transactional migrations):
 *                            Flyway refuses to migrate until it is removed ({@code runbook repair --apply}, see {@link Repairer})
 * @param retries             lock-timeout retries made for this migration before giving up
 */
public record MigrationFailure(Kind kind, String version, String description, String script, String file, String statement,
                               Integer line, String sqlState, String message, Boolean transactional, Boolean rolledBack,
                               boolean failedHistoryEntry, int retries, String fix) {

    public enum Kind {
        /** Waited longer than lock_timeout for a lock (SQLSTATE 55P03) on every attempt. */
        LOCK_TIMEOUT,
        /** A statement ran longer than statement_timeout (SQLSTATE 57014). */
        STATEMENT_TIMEOUT,
        /** The migration's SQL failed. */
        SQL_ERROR,
        /** The history does not match the migration files (edited applied migration, failed entry, missing file). */
        VALIDATION,
        /**
         * The connection to the database broke while a migration ran (SQLSTATE class 08, or 57P01-57P03: the server
         * stopped, crashed or restarted, or the network failed). Nothing is wrong with the migration itself.
         */
        CONNECTION_LOST,
        /** Migrations applied but left an invalid index behind. */
        INVALID_INDEX,
        /** Anything else Flyway refused. */
        FLYWAY
    }
}
