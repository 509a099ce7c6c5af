package io.migrationrunbook.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.migrationrunbook.schema.SnapshotReader.quoteIdentifier;

/** What backup and restore read from a database by SQL: its tables, their exact row counts, its Flyway version, its locale. */
final class DatabaseFacts {

    private DatabaseFacts() {
    }

    /** A user table as pg_dump lists it: schema, name, and whether it holds rows itself (not a partitioned parent). */
    record Table(String schema, String name, boolean holdsRows) {
        String qualifiedName() {
            return schema + "." + name;
        }

        String quoted() {
            return quoteIdentifier(schema) + "." + quoteIdentifier(name);
        }
    }

    /**
     * The tables pg_dump dumps: ordinary and partitioned tables outside the system schemas, excluding temporary
     * tables and tables that belong to an extension (pg_dump leaves those to CREATE EXTENSION).
     */
    static List<Table> tables(Connection connection) throws SQLException {
        String sql = "SELECT n.nspname, c.relname, c.relkind = 'r' "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
                + "AND n.nspname NOT LIKE 'pg\\_temp%' "
                + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
                + "AND d.deptype = 'e') "
                + "ORDER BY 1, 2";
        List<Table> tables = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                tables.add(new Table(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return tables;
    }

    /**
     * Exact row counts ({@code count(*)}) of the tables that hold rows, keyed by {@code schema.table}. Partitioned
     * parents are left out: their rows are counted in their partitions. A failed count throws {@link RowCountFailed}
     * naming the table.
     */
    // Not SnapshotReader.countRows: these are pg_dump's TABLE DATA units (FROM ONLY, no partitioned parents) counted in
    // the caller's transaction (the snapshot pg_dump imports), to compare with a restore; that one counts whole tables.
    static Map<String, Long> rowCounts(Connection connection, List<Table> tables) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement s = connection.createStatement()) {
            for (Table table : tables) {
                if (!table.holdsRows()) {
                    continue;
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ONLY " + table.quoted())) {
                    rs.next();
                    counts.put(table.qualifiedName(), rs.getLong(1));
                } catch (SQLException e) {
                    throw new RowCountFailed(table, e);
                }
            }
        }
        return counts;
    }

    /** A row count that failed, with the table it failed on (the server's message names it unqualified at best). */
    static final class RowCountFailed extends SQLException {
        private static final long serialVersionUID = 1L;
        private final String table;

        RowCountFailed(Table table, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
            this.table = table.qualifiedName();
        }

        String table() {
            return table;
        }
    }

    /**
     * The Flyway schema version: the latest successful versioned row of {@code flyway_schema_history} (the one
     * first on the search path), or null when the database has no history table or no versioned migration yet.
     */
    static String flywayVersion(Connection connection) throws SQLException {
        String schema = null;
        String find = "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relname = 'flyway_schema_history' AND c.relkind IN ('r', 'p') "
                + "ORDER BY array_position(current_schemas(false), n.nspname::text) NULLS LAST, n.nspname LIMIT 1";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(find)) {
            if (rs.next()) {
                schema = rs.getString(1);
            }
        }
        if (schema == null) {
            return null;
        }
        String latest = "SELECT version FROM " + quoteIdentifier(schema) + ".flyway_schema_history "
                + "WHERE success AND version IS NOT NULL AND type <> 'DELETE' ORDER BY installed_rank DESC LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(latest); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * The current database's encoding and locale. The provider columns differ by version (datlocprovider and
     * daticulocale since 15, daticulocale renamed datlocale in 17), so they are read through to_jsonb, which has
     * whatever columns this server's pg_database has.
     */
    static DatabaseLocale locale(Connection connection) throws SQLException {
        String sql = "SELECT pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, to_jsonb(d) ->> 'datlocprovider', "
                + "coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') "
                + "FROM pg_database d WHERE d.datname = current_database()";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            return new DatabaseLocale(rs.getString(1), rs.getString(2), rs.getString(3),
                    DatabaseLocale.providerName(rs.getString(4)), rs.getString(5));
        }
    }

}
