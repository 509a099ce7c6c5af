package io.migrationrunbook.migrate;

/**
 * A migration that {@code migrate} would apply, in order.
 *
 * @param version       null for a repeatable migration
 * @param script        the script name as Flyway records it in the history table
 * @param file          the file on disk (empty for a classpath resource inside a jar)
 * @param transactional false when Flyway will run it outside a transaction ({@code CREATE INDEX CONCURRENTLY}, or
 *                      {@code executeInTransaction=false} in its {@code .conf}): a failure may leave it half done
 */
public record PendingMigration(String version, String description, String script, String type, String file,
                               Boolean transactional) {
}
