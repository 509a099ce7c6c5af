package io.migrationrunbook.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The sidecar {@code FILE.meta.json} written next to every backup: what restore checks the artifact against
 * (sha256) and compares the restored data with (rowCounts), and how retention recognises this tool's backups
 * ({@code tool}).
 *
 * @param tool            always {@value #TOOL}
 * @param metadataVersion layout version of this file
 * @param file            the artifact's file name, in the same directory as the sidecar
 * @param format          CUSTOM or DIRECTORY
 * @param sha256          see {@link Checksums} (for a directory: digest of its sha256sum listing)
 * @param sizeBytes       artifact size (sum of its files for a directory)
 * @param flywayVersion   latest successful versioned migration in flyway_schema_history, null without one
 * @param tables          every table of the database at backup time ({@code schema.table}), all present in the TOC
 * @param rowCounts       exact row counts per table, read in the snapshot pg_dump dumped
 * @param locale          the source database's encoding and locale, which restore gives the database it creates;
 *                        null in sidecars written before it was recorded (metadataVersion 1)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupMetadata(String tool, int metadataVersion, String file, BackupFormat format, String database,
                             String host, int port, String serverVersion, String pgDumpVersion, long sizeBytes,
                             String sha256, long durationMs, String flywayVersion, Instant startedAt, Instant finishedAt,
                             List<String> tables, Map<String, Long> rowCounts, DatabaseLocale locale) {

    public static final String TOOL = "migration-runbook";
    /** 2: adds {@code locale}. Version 1 sidecars are still read (restore then uses the server's defaults, with a warning). */
    public static final int VERSION = 2;
    public static final String SUFFIX = ".meta.json";

    /** Where the sidecar of {@code artifact} lives. */
    public static java.nio.file.Path sidecarOf(java.nio.file.Path artifact) {
        return artifact.resolveSibling(artifact.getFileName() + SUFFIX);
    }
}
