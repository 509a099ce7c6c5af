package io.migrationrunbook.schema;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.schema.SchemaSnapshot.Column;
import io.migrationrunbook.schema.SchemaSnapshot.Constraint;
import io.migrationrunbook.schema.SchemaSnapshot.Index;
import io.migrationrunbook.schema.SchemaSnapshot.Sequence;
import io.migrationrunbook.schema.SchemaSnapshot.Table;
import io.migrationrunbook.schema.SchemaSnapshot.View;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@link SchemaSnapshot} from the catalog with one query per object kind for all tables at once (tables,
 * columns, indexes, constraints, sequences, views), so a 2,000-table schema costs seven round trips, not thousands.
 * The catalog is read in one read-only REPEATABLE READ transaction, so the object kinds agree with each other; row
 * counts follow in batches (see {@link #countRows}).
 */
public final class SnapshotReader {

    /** Relations of the schemas in scope that no extension owns (an extension's tables are not the application's). */
    private static final String OWN_RELATIONS = """
            SELECT c.oid, n.nspname, c.relname, c.relkind
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ANY (?)
               AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            """;

    private static final String SCOPE = """
            SELECT current_database(), current_setting('server_version'),
                   array(SELECT nspname::text FROM pg_namespace
                          WHERE CASE WHEN cardinality(?::text[]) = 0
                                     THEN nspname NOT IN ('pg_catalog', 'information_schema')
                                          AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'
                                     ELSE nspname = ANY (?::text[]) END
                          ORDER BY 1)
            """;

    private static final String TABLES = "WITH rel AS (" + OWN_RELATIONS + ") "
            + "SELECT oid, nspname, relname, relkind = 'p' FROM rel WHERE relkind IN ('r', 'p')";

    private static final String COLUMNS = "WITH rel AS (" + OWN_RELATIONS + ") "
            + """
            SELECT a.attrelid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                   CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
                   CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END,
                   CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END
              FROM pg_attribute a
              JOIN rel ON rel.oid = a.attrelid AND rel.relkind IN ('r', 'p')
              LEFT JOIN pg_attrdef ad ON a.atthasdef AND ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             WHERE a.attnum > 0 AND NOT a.attisdropped
            """;

    /**
     * Key columns come as attnums (named from the columns already read); only an expression index pays for
     * {@code pg_get_indexdef(oid, k, true)} per key column.
     */
    private static final String INDEXES = "WITH rel AS (" + OWN_RELATIONS + ") "
            + """
            SELECT i.indrelid, ic.relname, i.indkey::int2[],
                   CASE WHEN 0 = ANY (i.indkey::int2[])
                        THEN array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k) END,
                   pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary, i.indisvalid, i.indnkeyatts
              FROM pg_index i
              JOIN rel ON rel.oid = i.indrelid AND rel.relkind IN ('r', 'p')
              JOIN pg_class ic ON ic.oid = i.indexrelid
            """;

    private static final String CONSTRAINTS = "WITH rel AS (" + OWN_RELATIONS + ") "
            + """
            SELECT co.conrelid, co.conname,
                   CASE co.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'f' THEN 'FOREIGN KEY' WHEN 'u' THEN 'UNIQUE'
                                   WHEN 'c' THEN 'CHECK' WHEN 'x' THEN 'EXCLUDE' WHEN 't' THEN 'TRIGGER'
                                   ELSE co.contype::text END,
                   pg_get_constraintdef(co.oid, true), co.convalidated
              FROM pg_constraint co
              JOIN rel ON rel.oid = co.conrelid AND rel.relkind IN ('r', 'p')
            """;

    private static final String SEQUENCES = "WITH rel AS (" + OWN_RELATIONS + ") "
            + """
            SELECT rel.nspname, rel.relname, format_type(s.seqtypid, NULL), s.seqincrement,
                   (SELECT tn.nspname || '.' || tc.relname || '.' || ta.attname
                      FROM pg_depend d
                      JOIN pg_class tc ON tc.oid = d.refobjid
                      JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                      JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
                     WHERE d.classid = 'pg_class'::regclass AND d.objid = rel.oid
                       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                     LIMIT 1)
              FROM rel JOIN pg_sequence s ON s.seqrelid = rel.oid
            """;

    private static final String VIEWS = "WITH rel AS (" + OWN_RELATIONS + ") "
            + "SELECT nspname, relname, relkind = 'm', pg_get_viewdef(oid, true) FROM rel WHERE relkind IN ('v', 'm')";

    private static final String TAKING_A_SNAPSHOT = "taking a schema snapshot (catalog queries and row counts)";
    private static final String SNAPSHOT_AGAIN = "take the snapshot again: it only reads.";

    private SnapshotReader() {
    }

    public static SchemaSnapshot read(DatabaseTarget target, SnapshotOptions options) {
        return read(target, options, Progress.silent());
    }

    public static SchemaSnapshot read(DatabaseTarget target, SnapshotOptions options, Progress progress) {
        try (Connection connection = target.connect()) {
            return read(connection, options, progress);
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, TAKING_A_SNAPSHOT, SNAPSHOT_AGAIN,
                    () -> RunbookException.environment("Cannot close the connection to " + target.database() + ": " + e.getMessage(), e));
        } catch (RunbookException e) {
            throw target.lostConnectionOr(e, TAKING_A_SNAPSHOT, SNAPSHOT_AGAIN, () -> e);
        }
    }

    public static SchemaSnapshot read(Connection connection, SnapshotOptions options) {
        return read(connection, options, Progress.silent());
    }

    /**
     * Reads on the given connection. In autocommit mode the reads run in their own read-only REPEATABLE READ
     * transaction (committed at the end, settings restored); otherwise in the caller's transaction, so a rehearsal
     * can snapshot what its own uncommitted DDL did.
     */
    public static SchemaSnapshot read(Connection connection, SnapshotOptions options, Progress progress) {
        long started = System.nanoTime();
        try {
            boolean ownTransaction = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            boolean readOnly = connection.isReadOnly();
            if (ownTransaction) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
            }
            SchemaSnapshot snapshot;
            try {
                snapshot = readIn(connection, options, progress);
                if (ownTransaction) {
                    connection.commit();
                }
            } finally {
                if (ownTransaction && !connection.isClosed()) {
                    connection.rollback(); // no-op after the commit; ends the transaction after a failure
                    connection.setAutoCommit(true);
                    connection.setReadOnly(readOnly);
                    connection.setTransactionIsolation(isolation);
                }
            }
            if (options.withRowCounts()) {
                // after the catalog transaction: in autocommit mode every batch gets its own transaction (see countRows)
                snapshot = new SchemaSnapshot(snapshot.formatVersion(), snapshot.database(), snapshot.serverVersion(),
                        snapshot.schemas(), snapshot.tables(), snapshot.sequences(), snapshot.views(),
                        countRows(connection, snapshot.tables(), options.rowCountBatchSize(), options.rowCountLockTimeout(), progress));
            }
            progress.report("Snapshot of %s: %d tables, %d columns, %d indexes, %d constraints, %d sequences, %d views%s in %s",
                    snapshot.database(), snapshot.tables().size(), snapshot.columnCount(), snapshot.indexCount(),
                    snapshot.constraintCount(), snapshot.sequences().size(), snapshot.views().size(),
                    snapshot.rowCounts() == null ? "" : ", row counts",
                    Progress.format(Duration.ofNanos(System.nanoTime() - started)));
            return snapshot;
        } catch (SQLException e) {
            if (DatabaseTarget.isConnectionLoss(e.getSQLState())) {
                // not a privileges problem; callers holding the DatabaseTarget name the database (DatabaseTarget.lostConnection)
                throw RunbookException.environment("Lost the connection to the database while " + TAKING_A_SNAPSHOT + " (SQLSTATE "
                        + e.getSQLState() + ": " + e.getMessage() + "): " + DatabaseTarget.whyLost(e.getSQLState()) + " Check that the "
                        + "server is up, then " + SNAPSHOT_AGAIN, e);
            }
            throw RunbookException.environment("Cannot read the schema from the catalog (SQLSTATE " + e.getSQLState() + "): "
                    + e.getMessage() + ". Check that the user may read the catalog and the tables (row counts need SELECT).", e);
        }
    }

    private static SchemaSnapshot readIn(Connection connection, SnapshotOptions options, Progress progress) throws SQLException {
        String database;
        String serverVersion;
        String[] schemas;
        try (PreparedStatement s = connection.prepareStatement(SCOPE)) {
            Array requested = connection.createArrayOf("text", options.schemas().toArray());
            s.setArray(1, requested);
            s.setArray(2, requested);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                database = rs.getString(1);
                serverVersion = rs.getString(2);
                schemas = (String[]) rs.getArray(3).getArray();
            }
        }
        List<String> found = Arrays.asList(schemas);
        List<String> missing = options.schemas().stream().filter(name -> !found.contains(name)).toList();
        if (!missing.isEmpty()) {
            // not an error: a migration may create or drop a schema between two snapshots
            progress.report("Warning: schema%s %s do%s not exist in %s: nothing to read there", missing.size() == 1 ? "" : "s",
                    String.join(", ", missing), missing.size() == 1 ? "es" : "", database);
        }
        Array schemaArray = connection.createArrayOf("text", schemas);

        Map<Long, TableBuilder> tables = new LinkedHashMap<>();
        query(connection, TABLES, schemaArray, rs -> tables.put(rs.getLong(1),
                new TableBuilder(rs.getString(2), rs.getString(3), rs.getBoolean(4))));
        query(connection, COLUMNS, schemaArray, rs -> {
            TableBuilder table = tables.get(rs.getLong(1));
            if (table != null) {
                table.columns.add(new Column(rs.getString(2), rs.getInt(3), rs.getString(4), rs.getBoolean(5),
                        rs.getString(6), rs.getString(7), rs.getString(8)));
            }
        });
        query(connection, INDEXES, schemaArray, rs -> {
            TableBuilder table = tables.get(rs.getLong(1));
            if (table != null) {
                table.indexes.add(new Index(rs.getString(2), table.keyColumns(rs.getArray(3), rs.getArray(4), rs.getInt(9)),
                        rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8)));
            }
        });
        query(connection, CONSTRAINTS, schemaArray, rs -> {
            TableBuilder table = tables.get(rs.getLong(1));
            if (table != null) {
                table.constraints.add(new Constraint(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)));
            }
        });
        List<Sequence> sequences = new ArrayList<>();
        query(connection, SEQUENCES, schemaArray, rs -> sequences.add(
                new Sequence(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5))));
        List<View> views = new ArrayList<>();
        query(connection, VIEWS, schemaArray, rs -> views.add(
                new View(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4))));

        List<Table> tableList = tables.values().stream().map(TableBuilder::build).toList();
        return new SchemaSnapshot(SchemaSnapshot.FORMAT_VERSION, database, serverVersion, options.schemas(), tableList,
                sequences, views, null);
    }

    /**
     * Exact row counts, {@code batchSize} tables per query ({@code SELECT 0, count(*) FROM a UNION ALL SELECT 1, ...}).
     * Each count scans the whole table (or its smallest index): the cost grows with the data, not with the schema.
     * On an autocommit connection each batch runs in its own read-only transaction: one transaction over thousands of
     * tables would hold an ACCESS SHARE lock on every table and index until its end and can exhaust the server's lock
     * table ({@code max_locks_per_transaction}), and each waits at most {@code lockTimeout} for a table's lock. Inside a
     * caller's transaction, the batches run in it, under the caller's lock_timeout.
     */
    public static TreeMap<String, Long> countRows(Connection connection, List<Table> tables, int batchSize, Progress progress)
            throws SQLException {
        return countRows(connection, tables, batchSize, SnapshotOptions.DEFAULT_ROW_COUNT_LOCK_TIMEOUT, progress);
    }

    public static TreeMap<String, Long> countRows(Connection connection, List<Table> tables, int batchSize, Duration lockTimeout,
                                                  Progress progress) throws SQLException {
        TreeMap<String, Long> counts = new TreeMap<>();
        long started = System.nanoTime();
        boolean ownTransactions = connection.getAutoCommit();
        boolean readOnly = connection.isReadOnly();
        for (int from = 0; from < tables.size(); from += batchSize) {
            List<Table> batch = tables.subList(from, Math.min(tables.size(), from + batchSize));
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < batch.size(); i++) {
                if (i > 0) {
                    sql.append(" UNION ALL ");
                }
                Table table = batch.get(i);
                sql.append("SELECT ").append(i).append(", count(*) FROM ")
                        .append(quoteIdentifier(table.schema())).append('.').append(quoteIdentifier(table.name()));
            }
            if (ownTransactions) {
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
            }
            try (Statement s = connection.createStatement()) {
                if (ownTransactions) {
                    s.execute("SET LOCAL lock_timeout = '" + Math.max(1, lockTimeout.toMillis()) + "ms'");
                }
                try (ResultSet rs = s.executeQuery(sql.toString())) {
                    while (rs.next()) {
                        counts.put(batch.get(rs.getInt(1)).qualifiedName(), rs.getLong(2));
                    }
                }
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    throw RunbookException.environment("Counting rows waited longer than " + Progress.format(lockTimeout)
                            + " for a table lock (one of " + batch.stream().map(Table::qualifiedName).toList() + "): a session "
                            + "holds an exclusive lock. Retry when it is done (pg_locks shows who holds it).", e);
                }
                throw e;
            } finally {
                if (ownTransactions && !connection.isClosed()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                    connection.setReadOnly(readOnly);
                }
            }
            if (tables.size() > batchSize) {
                progress.report("Counted rows of %d/%d tables (%s)", Math.min(tables.size(), from + batchSize), tables.size(),
                        Progress.format(Duration.ofNanos(System.nanoTime() - started)));
            }
        }
        return counts;
    }

    /** {@code "name"} with embedded quotes doubled: safe for any identifier the catalog returned. */
    public static String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection connection, String sql, Array schemas, RowHandler handler) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setArray(1, schemas);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        }
    }

    private static final class TableBuilder {
        final String schema;
        final String name;
        final boolean partitioned;
        final List<Column> columns = new ArrayList<>();
        final List<Index> indexes = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();

        TableBuilder(String schema, String name, boolean partitioned) {
            this.schema = schema;
            this.name = name;
            this.partitioned = partitioned;
        }

        /** Key column names from the index's attnums; an expression index brings its own deparsed key list. */
        List<String> keyColumns(Array attnums, Array expressions, int keyCount) throws SQLException {
            if (expressions != null) {
                return Arrays.asList((String[]) expressions.getArray());
            }
            Object[] numbers = (Object[]) attnums.getArray();
            List<String> names = new ArrayList<>(keyCount);
            for (int k = 0; k < keyCount && k < numbers.length; k++) {
                int attnum = ((Number) numbers[k]).intValue();
                names.add(columns.stream().filter(c -> c.position() == attnum).map(Column::name).findFirst()
                        .orElse("#" + attnum));
            }
            return names;
        }

        Table build() {
            return new Table(schema, name, partitioned, columns, indexes, constraints);
        }
    }
}
