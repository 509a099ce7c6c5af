package io.migrationrunbook.migrate;

/**
 * An index PostgreSQL marks invalid ({@code pg_index.indisvalid = false}): what a failed {@code CREATE INDEX
 * CONCURRENTLY} leaves behind. It is not used by queries but is still maintained on every write.
 *
 * @param preExisting true when it was already invalid before this run
 * @param fix         what to run about it
 */
public record InvalidIndex(String schema, String table, String index, String definition, boolean preExisting, String fix) {

    static InvalidIndex of(String schema, String table, String index, String qualifiedName, String definition, boolean preExisting) {
        return new InvalidIndex(schema, table, index, definition, preExisting,
                "DROP INDEX CONCURRENTLY " + qualifiedName + "; then fix the cause of the failed build (e.g. duplicate rows for a "
                        + "unique index) and run migrate again");
    }
}
