package io.migrationrunbook.backup;

import java.util.List;

/**
 * What {@link Restore#run} did.
 *
 * @param database               the database the backup was restored into
 * @param replaced               an existing database of that name was replaced
 * @param previousDatabaseKeptAs with {@code replaced}: the name the replaced database was renamed to (drop it when
 *                               no longer needed)
 * @param tablesCompared         tables whose row counts were compared with the backup's sidecar
 * @param mismatches             tables whose row count differs (or that are missing: actual null)
 * @param passed                 checksum verified, restore done, no mismatch
 * @param locale                 the encoding and locale the database was created with (the source's, from the sidecar);
 *                               null for a sidecar older than metadataVersion 2: the server's defaults were used
 */
public record RestoreResult(String file, String sha256, boolean checksumVerified, String backupDatabase,
                            String flywayVersion, String database, boolean replaced, String previousDatabaseKeptAs,
                            int tablesCompared, List<RowCountMismatch> mismatches, boolean passed, long durationMs,
                            DatabaseLocale locale) {

    /** A table whose restored row count differs from the count recorded at backup time. */
    public record RowCountMismatch(String table, long expected, Long actual) {
    }
}
