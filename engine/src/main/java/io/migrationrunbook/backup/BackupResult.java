package io.migrationrunbook.backup;

import java.util.List;

/**
 * What {@link Backup#run} produced: the verified artifact, its checksum and size, how long it took, and the
 * metadata written to its sidecar.
 *
 * @param file               absolute path of the backup file or directory
 * @param metadataFile       absolute path of the sidecar JSON
 * @param verified           every table of the database is in the archive's TOC (pg_restore --list)
 * @param tablesVerified     how many tables were checked in the TOC
 * @param removedByRetention older backups (and sidecars) deleted by {@code keep}
 */
public record BackupResult(String file, String metadataFile, BackupFormat format, String sha256, long sizeBytes,
                           long durationMs, boolean verified, int tablesVerified, String database, String flywayVersion,
                           List<String> removedByRetention, BackupMetadata metadata) {
}
