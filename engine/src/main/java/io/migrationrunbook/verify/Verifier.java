package io.migrationrunbook.verify;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.schema.SchemaDiff;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SchemaSnapshot.Table;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import org.flywaydb.core.api.MigrationVersion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code verifySchema} step: after a migration, checks the Flyway version, the expected schema, the drift from an
 * expected snapshot, row counts against a baseline and integrity queries, and reports every check. Reads only: the
 * catalog and counts in a read-only REPEATABLE READ transaction, each integrity query in its own read-only
 * transaction under a statement timeout.
 */
public final class Verifier {

    static final int ROWS_COUNTED = 1000;
    private static final String VERIFYING = "verifying the schema";
    private static final String VERIFY_AGAIN = "run the verification again: it only reads, nothing was changed.";

    private Verifier() {
    }

    public static VerificationReport verify(DatabaseTarget target, VerificationSettings settings, Progress progress) {
        settings.validate();
        try (Connection connection = target.connect()) {
            return verify(connection, settings, progress);
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, VERIFYING, VERIFY_AGAIN, () -> RunbookException.environment("Verification of "
                    + target.database() + " failed (SQLSTATE " + e.getSQLState() + "): " + e.getMessage(), e));
        } catch (RunbookException e) {
            throw target.lostConnectionOr(e, VERIFYING, VERIFY_AGAIN, () -> e); // the snapshot inside the verification
        }
    }

    /** Verifies on an autocommit connection (it manages its own read-only transactions). */
    public static VerificationReport verify(Connection connection, VerificationSettings settings, Progress progress)
            throws SQLException {
        settings.validate();
        long started = System.nanoTime();
        List<Check> checks = new ArrayList<>();
        String database = connection.getCatalog();

        String flywayVersion = settings.effectiveFlywayVersion();
        if (flywayVersion != null) {
            progress.report("Checking the Flyway schema version in %s ...", settings.effectiveFlywayTable());
            checks.addAll(flywayChecks(connection, settings.effectiveFlywayTable(), flywayVersion));
        }

        SchemaDiff drift = null;
        boolean needsSnapshot = !settings.expectations().tables().isEmpty() || !settings.expectations().sequences().isEmpty()
                || !settings.expectations().views().isEmpty() || settings.expectedSnapshot() != null
                || settings.rowCountBaseline() != null;
        if (needsSnapshot) {
            SchemaSnapshot actual = SnapshotReader.read(connection, SnapshotOptions.defaults().withSchemas(settings.schemas()), progress);
            checks.addAll(ExpectationChecks.check(settings.expectations(), actual));
            if (settings.expectedSnapshot() != null) {
                SchemaSnapshot expected = settings.expectedSnapshot().restrictedTo(settings.schemas());
                // an expected snapshot of some schemas is compared with the same schemas of the database
                List<String> scope = !settings.schemas().isEmpty() ? settings.schemas()
                        : expected.schemas() == null ? List.of() : expected.schemas();
                drift = SchemaDiff.between(expected, actual.restrictedTo(scope));
                if (settings.ignoreExtras()) {
                    drift = drift.withoutExtras();
                }
                checks.addAll(driftChecks(expected, drift, settings.ignoreExtras()));
            }
            if (settings.rowCountBaseline() != null) {
                progress.report("Counting rows of the %d baseline tables ...", settings.rowCountBaseline().rowCounts().size());
                checks.addAll(rowCountChecks(connection, settings.rowCountBaseline(), actual, progress));
            }
        }

        List<IntegrityAssertion> assertions = settings.allAssertions();
        for (int i = 0; i < assertions.size(); i++) {
            progress.report("Integrity assertion %d/%d: %s", i + 1, assertions.size(), assertions.get(i).displayName());
            checks.add(integrityCheck(connection, assertions.get(i), settings.assertionTimeout(), settings.rowsShown()));
        }
        VerificationReport report = VerificationReport.of(database, checks, drift, (System.nanoTime() - started) / 1_000_000);
        progress.report("%d checks: %d passed, %d failed", report.summary().total(), report.summary().passed(), report.summary().failed());
        return report;
    }

    /** One check per expected table (what differs in it), then extra tables, sequences and views. */
    static List<Check> driftChecks(SchemaSnapshot expected, SchemaDiff drift, boolean ignoreExtras) {
        String category = "drift";
        List<Check> checks = new ArrayList<>();
        for (Table table : expected.tables()) {
            String name = "table " + table.qualifiedName() + " matches the snapshot";
            List<String> differences = drift.forTable(table.qualifiedName()).stream().map(SchemaDiff.Change::message).toList();
            checks.add(differences.isEmpty()
                    ? Check.passed(category, name, table.columns().size() + " columns, " + table.indexes().size() + " indexes, "
                    + table.constraints().size() + " constraints as expected")
                    : Check.failed(category, name, differences.size() + " difference" + (differences.size() == 1 ? "" : "s"), differences));
        }
        if (!ignoreExtras) {
            List<String> extraTables = drift.changes().stream().filter(c -> c.kind() == SchemaDiff.ChangeKind.TABLE_ADDED)
                    .map(SchemaDiff.Change::message).toList();
            checks.add(extraTables.isEmpty() ? Check.passed(category, "no tables beyond the snapshot", "none")
                    : Check.failed(category, "no tables beyond the snapshot", extraTables.size() + " extra tables", extraTables));
        }
        List<String> sequences = drift.changes().stream().filter(c -> c.kind().name().startsWith("SEQUENCE_"))
                .map(SchemaDiff.Change::message).toList();
        checks.add(sequences.isEmpty() ? Check.passed(category, "sequences match the snapshot", expected.sequences().size() + " sequences")
                : Check.failed(category, "sequences match the snapshot", sequences.size() + " differences", sequences));
        List<String> views = drift.changes().stream().filter(c -> c.kind().name().startsWith("VIEW_"))
                .map(SchemaDiff.Change::message).toList();
        checks.add(views.isEmpty() ? Check.passed(category, "views match the snapshot", expected.views().size() + " views")
                : Check.failed(category, "views match the snapshot", views.size() + " differences", views));
        return checks;
    }

    static List<Check> flywayChecks(Connection connection, String historyTable, String expectedVersion) throws SQLException {
        String versionCheck = "Flyway schema version is " + expectedVersion;
        String failedCheck = "no failed migrations in " + historyTable;
        MigrationVersion expected;
        try {
            expected = MigrationVersion.fromVersion(expectedVersion);
        } catch (RuntimeException e) {
            throw RunbookException.configuration("'" + expectedVersion + "' is not a Flyway version (e.g. 7, 1.2.3, 2024.01.15): " + e.getMessage());
        }
        String regclass;
        try (PreparedStatement s = connection.prepareStatement("SELECT to_regclass(?)::text")) {
            s.setString(1, quoteQualified(historyTable));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                regclass = rs.getString(1);
            }
        }
        if (regclass == null) {
            String details = "schema history table " + historyTable + " does not exist: nothing was migrated with Flyway here "
                    + "(or pass --flyway-table SCHEMA.TABLE)";
            return List.of(Check.failed("flyway", versionCheck, details), Check.failed("flyway", failedCheck, details));
        }
        MigrationVersion current = null;
        List<String> failed = new ArrayList<>();
        String sql = "SELECT installed_rank, version, description, type, script, success FROM " + quoteQualified(historyTable)
                + " ORDER BY installed_rank";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String version = rs.getString(2);
                String type = rs.getString(4);
                if (!rs.getBoolean(6)) {
                    failed.add("rank " + rs.getInt(1) + ": " + (version == null ? "repeatable" : "version " + version) + " "
                            + rs.getString(3) + " (" + rs.getString(5) + ") FAILED");
                } else if (version != null && !"DELETE".equals(type) && !"SCHEMA".equals(type)) {
                    MigrationVersion v = MigrationVersion.fromVersion(version);
                    if (current == null || v.compareTo(current) > 0) {
                        current = v;
                    }
                }
            }
        }
        List<Check> checks = new ArrayList<>();
        if (current != null && current.equals(expected)) {
            checks.add(Check.passed("flyway", versionCheck, "current version " + current));
        } else {
            checks.add(Check.failed("flyway", versionCheck, "current version is " + (current == null ? "none (no successful migration)"
                    : current.toString()) + ", expected " + expected));
        }
        checks.add(failed.isEmpty() ? Check.passed("flyway", failedCheck, "none")
                : Check.failed("flyway", failedCheck, failed.size() + " failed entr" + (failed.size() == 1 ? "y" : "ies")
                + ": repair them (`runbook repair --apply`, fix the data or the migration, migrate again) before going on", failed));
        return checks;
    }

    static List<Check> rowCountChecks(Connection connection, SchemaSnapshot baseline, SchemaSnapshot actual, Progress progress)
            throws SQLException {
        Map<String, Table> tables = actual.tablesByName();
        List<Table> present = new ArrayList<>();
        for (String table : baseline.rowCounts().keySet()) {
            if (tables.containsKey(table)) {
                present.add(tables.get(table));
            }
        }
        TreeMap<String, Long> now = SnapshotReader.countRows(connection, present, SnapshotOptions.DEFAULT_ROW_COUNT_BATCH_SIZE, progress);
        List<Check> checks = new ArrayList<>();
        baseline.rowCounts().forEach((table, before) -> {
            String name = "table " + table + " kept its rows (baseline " + before + ")";
            Long after = now.get(table);
            if (after == null) {
                checks.add(Check.failed("rowCount", name, "table " + table + " is missing (it had " + before + " rows)"));
            } else if (after < before) {
                checks.add(Check.failed("rowCount", name, "lost " + (before - after) + " rows: " + before + " before, " + after + " now"));
            } else {
                checks.add(Check.passed("rowCount", name, before + " before, " + after + " now"));
            }
        });
        return checks;
    }

    static Check integrityCheck(Connection connection, IntegrityAssertion assertion, Duration timeout, int rowsShown)
            throws SQLException {
        String name = "integrity: " + assertion.displayName();
        try {
            return inReadOnlyTransaction(connection, () -> {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
                    s.setMaxRows(ROWS_COUNTED + 1);
                    try (ResultSet rs = s.executeQuery(assertion.sql())) {
                        ResultSetMetaData meta = rs.getMetaData();
                        List<Map<String, String>> shown = new ArrayList<>();
                        int count = 0;
                        while (rs.next()) {
                            count++;
                            if (shown.size() < rowsShown) {
                                Map<String, String> row = new LinkedHashMap<>();
                                for (int c = 1; c <= meta.getColumnCount(); c++) {
                                    row.put(meta.getColumnLabel(c), rs.getString(c));
                                }
                                shown.add(row);
                            }
                        }
                        if (count == 0) {
                            return Check.passed("integrity", name, "no offending rows");
                        }
                        String howMany = count > ROWS_COUNTED ? "more than " + ROWS_COUNTED : Integer.toString(count);
                        return new Check(name, "integrity", Check.Status.FAILED, howMany + " offending row" + (count == 1 ? "" : "s")
                                + (count > shown.size() ? " (first " + shown.size() + " shown)" : ""), null, shown);
                    }
                }
            });
        } catch (SQLException e) {
            if (connection.isClosed() || DatabaseTarget.isConnectionLoss(e.getSQLState())) {
                throw e; // the database went away: not a verdict on the assertion or the data
            }
            String reason = "57014".equals(e.getSQLState()) ? "the query ran longer than the assertion timeout ("
                    + timeout.toSeconds() + " s)" : "the query failed (SQLSTATE " + e.getSQLState() + "): " + e.getMessage();
            return Check.failed("integrity", name, reason + ". Fix the assertion or the data.");
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Read-only, REPEATABLE READ, always rolled back: verification never changes the database. */
    static <T> T inReadOnlyTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        int isolation = connection.getTransactionIsolation();
        boolean readOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        try {
            return work.run();
        } finally {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.setAutoCommit(true);
                connection.setReadOnly(readOnly);
                connection.setTransactionIsolation(isolation);
            }
        }
    }

    /** {@code table} or {@code schema.table} as a safely quoted identifier. */
    static String quoteQualified(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? SnapshotReader.quoteIdentifier(name)
                : SnapshotReader.quoteIdentifier(name.substring(0, dot)) + "." + SnapshotReader.quoteIdentifier(name.substring(dot + 1));
    }
}
