package io.migrationrunbook.fleet;

import io.migrationrunbook.migrate.MigrationResult;

/**
 * One database of a fleet migration.
 *
 * @param migration the migrate result (null when the database could not be reached or the settings were refused by it)
 * @param error     what went wrong and the fix (null when it succeeded)
 */
public record MemberResult(String name, String database, boolean succeeded, MigrationResult migration, String error, long durationMs) {
}
