package io.migrationrunbook.migrate;

import java.util.List;

/**
 * Whether the schema history matches the migration files, as {@code migrate} checks before applying anything:
 * checksums of applied migrations unchanged, no failed entries, no applied migration missing its file.
 * Pending migrations are not an error here.
 */
public record ValidationReport(boolean valid, int migrationsChecked, List<Problem> problems, String message) {

    /** One migration that does not match: Flyway's error code (e.g. {@code CHECKSUM_MISMATCH}) and message. */
    public record Problem(String version, String description, String file, String errorCode, String message) {
    }
}
