package io.migrationrunbook.verify;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import io.migrationrunbook.schema.SnapshotReaderTest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class VerifierTest {

    @Test
    void documentedExpectationsPassOnAMatchingSchema(TestDatabase db) {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        db.execute("ALTER TABLE processed_events ADD COLUMN legacy_flag boolean", "ALTER TABLE processed_events DROP COLUMN legacy_flag");
        Expectations expectations = Expectations.parse(ExpectationsTest.EXAMPLE.replace("flyway:\n  version: \"3\"\n", ""), "expect.yaml");

        VerificationReport report = verify(db, VerificationSettings.none().withExpectations(expectations));

        assertThat(report.failures()).as(report.toText()).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(report.checks()).extracting(Check::name).contains(
                "table processed_events exists",
                "column processed_events.correlation_id exists (text, nullable)",
                "column processed_events.event_id exists",
                "column processed_events.legacy_flag is absent",
                "index uq_processed_events_event on processed_events exists and is valid (unique, on event_id)",
                "constraint ck_amount_positive on processed_events exists (CHECK)",
                "constraint processed_events_portfolio_id_fkey on processed_events exists and is validated",
                "table old_events is absent",
                "sequence invoice_numbers exists",
                "view recent_events exists",
                "integrity: every event belongs to a portfolio");
        assertThat(report.summary().failed()).isZero();
        assertThat(report.summary().total()).isEqualTo(report.checks().size());
    }

    @Test
    void failedExpectationsSayWhatDiffers(TestDatabase db) throws Exception {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        SnapshotReaderTest.createInvalidIndex(db, "processed_events", "correlation_id", "ux_corr");
        Expectations expectations = Expectations.parse("""
                tables:
                  processed_events:
                    columns:
                      - name: correlation_id
                        type: varchar(64)
                        nullable: false
                      - missing_column
                    absentColumns: [amount]
                    indexes: [ux_corr, ix_nowhere]
                    constraints: [ck_amount_positive]
                  nowhere: {}
                  portfolios: { absent: true }
                views: [no_view]
                """, "expect.yaml");

        VerificationReport report = verify(db, VerificationSettings.none().withExpectations(expectations));

        assertThat(report.passed()).isFalse();
        Map<String, String> failures = details(report);
        assertThat(failures).containsEntry("column processed_events.correlation_id exists (varchar(64), NOT NULL)",
                "type is text, expected varchar(64); column is nullable, expected NOT NULL");
        assertThat(failures.get("column processed_events.missing_column exists"))
                .startsWith("column missing_column is missing from public.processed_events (it has [id, event_id,");
        assertThat(failures).containsEntry("column processed_events.amount is absent", "column amount still exists (numeric(12,2))");
        assertThat(failures.get("index ux_corr on processed_events exists and is valid")).startsWith("index is INVALID");
        assertThat(failures.get("index ix_nowhere on processed_events exists and is valid")).startsWith("index ix_nowhere is missing");
        assertThat(failures.get("constraint ck_amount_positive on processed_events exists and is validated"))
                .isEqualTo("constraint is NOT VALID (existing rows unchecked): run ALTER TABLE public.processed_events "
                        + "VALIDATE CONSTRAINT ck_amount_positive");
        assertThat(failures).containsEntry("table nowhere exists", "table nowhere is missing");
        assertThat(failures).containsEntry("table portfolios is absent", "table public.portfolios still exists");
        assertThat(failures).containsEntry("view no_view exists", "view no_view is missing");
        assertThat(report.toText()).contains("FAIL table nowhere exists: table nowhere is missing")
                .contains("Verification FAILED");
    }

    @Test
    void roundTripOfAnUnchangedDatabasePasses(TestDatabase db, @TempDir Path dir) {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        Path file = dir.resolve("expected.json");
        SnapshotReader.read(target(db), SnapshotOptions.defaults()).writeTo(file);

        VerificationReport report = verify(db, VerificationSettings.none().withExpectedSnapshot(SchemaSnapshot.readFrom(file)));

        assertThat(report.failures()).as(report.toText()).isEmpty();
        assertThat(report.drift()).isEmpty();
        assertThat(report.checks()).extracting(Check::name).containsExactly(
                "table public.portfolios matches the snapshot", "table public.processed_events matches the snapshot",
                "no tables beyond the snapshot", "sequences match the snapshot", "views match the snapshot");
    }

    @Test
    void driftFromTheExpectedSnapshotIsReportedPerTable(TestDatabase db) throws Exception {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        db.execute("CREATE UNIQUE INDEX ux_event ON processed_events (event_id)");
        SchemaSnapshot expected = SnapshotReader.read(target(db), SnapshotOptions.defaults());
        db.execute("DROP VIEW recent_events", "ALTER TABLE processed_events DROP COLUMN correlation_id",
                "ALTER TABLE portfolios ALTER COLUMN name TYPE varchar(200)", "CREATE TABLE scratch (id int)",
                "DROP INDEX ux_event", "ALTER TABLE processed_events DROP CONSTRAINT uq_processed_events_event",
                "INSERT INTO processed_events (event_id) VALUES ('e1')");
        SnapshotReaderTest.createInvalidIndex(db, "processed_events", "event_id", "ux_event");

        VerificationReport report = verify(db, VerificationSettings.none().withExpectedSnapshot(expected));

        Map<String, Check> checks = byName(report);
        assertThat(checks.get("table public.processed_events matches the snapshot").differences()).contains(
                "column public.processed_events.correlation_id (text) is missing",
                "index public.ux_event is INVALID (a failed CREATE INDEX CONCURRENTLY): drop it and build it again");
        assertThat(checks.get("table public.portfolios matches the snapshot").differences())
                .containsExactly("column public.portfolios.name changed type from text to character varying(200)");
        assertThat(checks.get("no tables beyond the snapshot").differences())
                .containsExactly("table public.scratch is extra (1 columns)");
        assertThat(checks.get("views match the snapshot").differences()).containsExactly("view public.recent_events is missing");
        assertThat(report.drift()).isNotEmpty();

        VerificationReport ignoringExtras = verify(db, VerificationSettings.none().withExpectedSnapshot(expected).withIgnoreExtras(true));
        assertThat(ignoringExtras.checks()).extracting(Check::name).doesNotContain("no tables beyond the snapshot");
        assertThat(ignoringExtras.drift()).noneMatch(c -> c.drift() == io.migrationrunbook.schema.SchemaDiff.Drift.EXTRA);
        assertThat(ignoringExtras.passed()).isFalse();
    }

    @Test
    void flywayVersionMustBeCurrentAndHistoryFreeOfFailures(TestDatabase db, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__create_events.sql"), "CREATE TABLE events (id int);");
        Files.writeString(dir.resolve("V1.1__add_note.sql"), "ALTER TABLE events ADD COLUMN note text;");
        Files.writeString(dir.resolve("V2__add_index.sql"), "CREATE INDEX ix_events_note ON events (note);");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("filesystem:" + dir)
                .load().migrate();

        assertThat(verify(db, VerificationSettings.none().withFlywayVersion("2")).passed()).isTrue();
        assertThat(verify(db, VerificationSettings.none().withFlywayVersion("2.0")).passed()).isTrue();

        VerificationReport behind = verify(db, VerificationSettings.none().withFlywayVersion("3"));
        assertThat(details(behind)).containsEntry("Flyway schema version is 3", "current version is 2, expected 3");

        db.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                + "installed_by, execution_time, success) VALUES (4, '3', 'broken', 'SQL', 'V3__broken.sql', 1, 'me', 5, false)");
        VerificationReport failed = verify(db, VerificationSettings.none().withFlywayVersion("2"));
        Check failedEntries = byName(failed).get("no failed migrations in flyway_schema_history");
        assertThat(failedEntries.status()).isEqualTo(Check.Status.FAILED);
        assertThat(failedEntries.differences()).containsExactly("rank 4: version 3 broken (V3__broken.sql) FAILED");
        assertThat(byName(failed).get("Flyway schema version is 2").passed()).isTrue();
    }

    @Test
    void flywayCheckWithAnotherHistoryTableOrNone(TestDatabase db) {
        db.execute("CREATE SCHEMA ops", "CREATE TABLE ops.\"History\" (installed_rank int, version text, description text, "
                + "type text, script text, success boolean)", "INSERT INTO ops.\"History\" VALUES (1, '1.2.10', 'x', 'SQL', 'V1_2_10__x.sql', true),"
                + " (2, '1.2.9', 'y', 'SQL', 'V1_2_9__y.sql', true)");
        assertThat(verify(db, VerificationSettings.none().withFlywayVersion("1.2.10").withFlywayTable("ops.History")).passed()).isTrue();

        VerificationReport none = verify(db, VerificationSettings.none().withFlywayVersion("1"));
        assertThat(details(none).get("Flyway schema version is 1")).startsWith("schema history table flyway_schema_history does not exist");
    }

    @Test
    void integrityAssertionsFailWithTheFirstOffendingRowsAndCannotWrite(TestDatabase db) {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        db.execute("INSERT INTO processed_events (event_id, correlation_id) SELECT 'orphan' || g, NULL FROM generate_series(1, 8) g");

        VerificationReport report = verify(db, VerificationSettings.none()
                .withAssertion(new IntegrityAssertion("events have a portfolio",
                        "SELECT id, event_id FROM processed_events WHERE portfolio_id IS NULL ORDER BY id"))
                .withAssertion(IntegrityAssertion.of("SELECT * FROM processed_events WHERE amount < 0"))
                .withAssertion(IntegrityAssertion.of("DELETE FROM processed_events"))
                .withAssertion(IntegrityAssertion.of("SELECT no_such_column FROM processed_events")));

        Map<String, Check> checks = byName(report);
        Check orphans = checks.get("integrity: events have a portfolio");
        assertThat(orphans.status()).isEqualTo(Check.Status.FAILED);
        assertThat(orphans.details()).isEqualTo("8 offending rows (first 5 shown)");
        assertThat(orphans.rows()).hasSize(5);
        assertThat(orphans.rows().get(0)).containsEntry("event_id", "orphan1").containsKey("id");
        assertThat(checks.get("integrity: SELECT * FROM processed_events WHERE amount < 0").passed()).isTrue();
        assertThat(checks.get("integrity: DELETE FROM processed_events").details()).contains("SQLSTATE 25006");
        assertThat(checks.get("integrity: SELECT no_such_column FROM processed_events").details()).contains("SQLSTATE 42703");
        assertThat(db.queryLong("SELECT count(*) FROM processed_events")).isEqualTo(11);
        assertThat(report.toText()).contains("| {id=");
    }

    @Test
    void rowCountBaselineCatchesATableThatLostRows(TestDatabase db) {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        db.execute("CREATE TABLE doomed (id int)", "INSERT INTO doomed VALUES (1)");
        SchemaSnapshot baseline = SnapshotReader.read(target(db), SnapshotOptions.defaults().withRowCounts(true));
        db.execute("DELETE FROM processed_events WHERE event_id = 'e3'", "INSERT INTO portfolios (name) VALUES ('p3')", "DROP TABLE doomed");

        VerificationReport report = verify(db, VerificationSettings.none().withRowCountBaseline(baseline));

        Map<String, String> details = new java.util.LinkedHashMap<>();
        report.checks().forEach(c -> details.put(c.name(), c.status() + ": " + c.details()));
        assertThat(details).containsEntry("table public.processed_events kept its rows (baseline 3)", "FAILED: lost 1 rows: 3 before, 2 now")
                .containsEntry("table public.portfolios kept its rows (baseline 2)", "PASSED: 2 before, 3 now")
                .containsEntry("table public.doomed kept its rows (baseline 1)", "FAILED: table public.doomed is missing (it had 1 rows)");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void nothingToVerifyAndABaselineWithoutCountsAreConfigurationErrors(TestDatabase db) {
        assertThatThrownBy(() -> verify(db, VerificationSettings.none()))
                .isInstanceOf(RunbookException.class).hasMessageContaining("Nothing to verify");
        SchemaSnapshot noCounts = SnapshotReader.read(target(db), SnapshotOptions.defaults());
        assertThatThrownBy(() -> verify(db, VerificationSettings.none().withRowCountBaseline(noCounts)))
                .hasMessageContaining("runbook snapshot --with-row-counts");
    }

    @Test
    void anAmbiguousBareTableNameSaysSoAndABadFlywayVersionIsRejected(TestDatabase db) {
        db.execute("CREATE SCHEMA a", "CREATE SCHEMA b", "CREATE TABLE a.events (id int)", "CREATE TABLE b.events (id int)");
        VerificationReport report = verify(db, VerificationSettings.none()
                .withExpectations(Expectations.parse("tables: { events: {}, b.events: { columns: [id] } }", "e.yaml")));
        assertThat(details(report)).containsExactly(Map.entry("table events exists",
                "table name events is ambiguous: a.events, b.events; write schema.table in the expectations"));

        assertThatThrownBy(() -> verify(db, VerificationSettings.none().withFlywayVersion("v1")))
                .hasMessageContaining("'v1' is not a Flyway version");
    }

    static VerificationReport verify(TestDatabase db, VerificationSettings settings) {
        return Verifier.verify(target(db), settings, Progress.silent());
    }

    static DatabaseTarget target(TestDatabase db) {
        return SnapshotReaderTest.target(db);
    }

    private static Map<String, String> details(VerificationReport report) {
        Map<String, String> failures = new java.util.LinkedHashMap<>();
        report.failures().forEach(c -> failures.put(c.name(), c.details()));
        return failures;
    }

    private static Map<String, Check> byName(VerificationReport report) {
        Map<String, Check> checks = new java.util.LinkedHashMap<>();
        report.checks().forEach(c -> checks.put(c.name(), c));
        return checks;
    }
}
