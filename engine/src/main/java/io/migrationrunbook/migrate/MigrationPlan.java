package io.migrationrunbook.migrate;

import java.util.List;

/**
 * What {@code migrate} would do, read without changing anything (the dry run): the current version, the migrations it
 * would apply in order, and whether the history validates.
 */
public record MigrationPlan(String database, List<String> schemas, String currentVersion, String targetVersion,
                            List<PendingMigration> pending, ValidationReport validation) {
}
