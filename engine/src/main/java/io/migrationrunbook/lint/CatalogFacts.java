package io.migrationrunbook.lint;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the target database says about its tables: estimated row counts ({@code pg_class.reltuples}, or the
 * statistics collector's live tuples for a table never analysed) and column types. Read once, read-only; with a
 * live connection it also asks the planner ({@code EXPLAIN}, never executed) how many rows a DML statement touches.
 */
public final class CatalogFacts implements AutoCloseable {

    private final Map<String, Long> rows;
    private final Map<String, SqlType> columns;
    private final Map<String, DefaultExpressions.Volatility> functions;
    private final Connection connection;

    private CatalogFacts(Map<String, Long> rows, Map<String, SqlType> columns, Map<String, DefaultExpressions.Volatility> functions,
                         Connection connection) {
        this.rows = rows;
        this.columns = columns;
        this.functions = functions;
        this.connection = connection;
    }

    /** Facts given directly: table name (bare or schema-qualified) to estimated rows, "table.column" to type. */
    public static CatalogFacts of(Map<String, Long> rows, Map<String, String> columnTypes) {
        Map<String, Long> r = new HashMap<>();
        rows.forEach((k, v) -> put(r, k, v));
        Map<String, SqlType> c = new HashMap<>();
        columnTypes.forEach((k, v) -> c.put(k, SqlType.parse(v)));
        return new CatalogFacts(r, c, Map.of(), null);
    }

    private static void put(Map<String, Long> r, String table, long value) {
        r.merge(table, value, Math::max);
        int dot = table.lastIndexOf('.');
        if (dot > 0) {
            r.merge(table.substring(dot + 1), value, Math::max);
        }
    }

    /** Reads the user tables of the target; keeps the connection for EXPLAIN until {@link #close()}. */
    public static CatalogFacts read(DatabaseTarget target) {
        Connection connection = target.connect();
        try {
            connection.setReadOnly(true);
            Map<String, Long> rows = new HashMap<>();
            Map<String, SqlType> columns = new HashMap<>();
            try (Statement s = connection.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname, c.reltuples::bigint, "
                        + "COALESCE(st.n_live_tup, 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "LEFT JOIN pg_stat_user_tables st ON st.relid = c.oid "
                        + "WHERE c.relkind IN ('r','p','m') AND n.nspname NOT IN ('pg_catalog','information_schema') "
                        + "AND n.nspname NOT LIKE 'pg_toast%'")) {
                    while (rs.next()) {
                        long reltuples = rs.getLong(3);
                        long estimate = reltuples >= 0 ? Math.max(reltuples, rs.getLong(4)) : rs.getLong(4);
                        put(rows, rs.getString(1) + "." + rs.getString(2), estimate);
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
                        + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped "
                        + "AND n.nspname NOT IN ('pg_catalog','information_schema')")) {
                    while (rs.next()) {
                        SqlType type = SqlType.parse(rs.getString(4));
                        columns.put(rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3), type);
                        columns.putIfAbsent(rs.getString(2) + "." + rs.getString(3), type);
                    }
                }
            }
            Map<String, DefaultExpressions.Volatility> functions = new HashMap<>();
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT n.nspname, p.proname, p.provolatile FROM pg_proc p "
                         + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind = 'f' "
                         + "AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    DefaultExpressions.Volatility v = "v".equals(rs.getString(3)) ? DefaultExpressions.Volatility.VOLATILE
                            : DefaultExpressions.Volatility.STABLE;
                    // overloads: the worst one decides
                    functions.merge(rs.getString(2), v, CatalogFacts::worse);
                    functions.merge(rs.getString(1) + "." + rs.getString(2), v, CatalogFacts::worse);
                }
            }
            return new CatalogFacts(rows, columns, functions, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw target.lostConnectionOr(e, "reading table statistics for the linter", "lint again: it only reads.",
                    () -> RunbookException.environment("Cannot read table statistics from " + target.database() + ": "
                    + e.getMessage() + ". The linter needs SELECT on pg_class and pg_attribute.", e));
        }
    }

    public static CatalogFacts empty() {
        return new CatalogFacts(Map.of(), Map.of(), Map.of(), null);
    }

    /** True when facts come from a database (then a table it does not know is created by a pending migration). */
    public boolean knowsTables() {
        return !rows.isEmpty() || connection != null;
    }

    public boolean tableExists(String table) {
        return rows.containsKey(table) || rows.containsKey(bare(table));
    }

    public OptionalLong estimatedRows(String table) {
        Long value = rows.containsKey(table) ? rows.get(table) : rows.get(bare(table));
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    public Optional<SqlType> columnType(String table, String column) {
        SqlType type = columns.get(table + "." + column);
        if (type == null) {
            type = columns.get(bare(table) + "." + column);
        }
        return Optional.ofNullable(type);
    }

    /**
     * The planner's row estimate for a DML statement, or empty when there is no connection or the statement does
     * not plan against the current schema (it may depend on earlier pending migrations). Runs EXPLAIN without
     * ANALYZE in a read-only transaction that is rolled back: the statement is never executed.
     */
    public OptionalLong explainRows(String sql) {
        if (connection == null) {
            return OptionalLong.empty();
        }
        try {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                s.execute("SET LOCAL statement_timeout = '5s'");
                try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
                    if (!rs.next()) {
                        return OptionalLong.empty();
                    }
                    JsonNode plan = Json.mapper().readTree(rs.getString(1)).path(0).path("Plan");
                    long estimate = plan.path("Plan Rows").asLong(0);
                    for (JsonNode child : plan.path("Plans")) {
                        estimate = Math.max(estimate, child.path("Plan Rows").asLong(0));
                    }
                    return OptionalLong.of(estimate);
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }

    /** The volatility of a user-defined function on the target (by name or schema.name), if it has one. */
    public Optional<DefaultExpressions.Volatility> functionVolatility(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    private static DefaultExpressions.Volatility worse(DefaultExpressions.Volatility a, DefaultExpressions.Volatility b) {
        return a == DefaultExpressions.Volatility.VOLATILE || b == DefaultExpressions.Volatility.VOLATILE
                ? DefaultExpressions.Volatility.VOLATILE : a;
    }

    private static String bare(String table) {
        int dot = table.lastIndexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // read-only connection: nothing to lose
            }
        }
    }
}
