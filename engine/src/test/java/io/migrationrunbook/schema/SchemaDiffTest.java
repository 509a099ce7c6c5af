package io.migrationrunbook.schema;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.schema.SchemaDiff.Change;
import io.migrationrunbook.schema.SchemaDiff.ChangeKind;
import io.migrationrunbook.schema.SchemaDiff.Drift;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.migrationrunbook.schema.SnapshotReaderTest.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Diffs of snapshots taken before and after real DDL: what the verifier calls drift and the rehearsal classifies. */
@ExtendWith(PostgresExtension.class)
class SchemaDiffTest {

    @Test
    void unchangedDatabaseHasNoDifferences(TestDatabase db) throws Exception {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        SnapshotReaderTest.createInvalidIndex(db, "processed_events", "correlation_id", "ux_corr");
        assertThat(SchemaDiff.between(snapshot(db), snapshot(db)).changes()).isEmpty();
    }

    @Test
    void detectsMissingColumnExtraTableChangedTypeAndIndexThatBecameInvalid(TestDatabase db) throws Exception {
        db.execute(SnapshotReaderTest.SAMPLE_SCHEMA);
        db.execute("CREATE UNIQUE INDEX ux_event_note ON processed_events (event_id)");
        SchemaSnapshot before = snapshot(db);

        db.execute("DROP VIEW recent_events",
                "ALTER TABLE processed_events DROP COLUMN correlation_id CASCADE",
                "ALTER TABLE processed_events ALTER COLUMN event_id TYPE text",
                "CREATE TABLE audit_log (id int)",
                // an index rebuilt by a failed concurrent build: same name, now INVALID
                "DROP INDEX ux_event_note",
                "INSERT INTO processed_events (event_id, portfolio_id) VALUES ('dup', 1)");
        db.execute("ALTER TABLE processed_events DROP CONSTRAINT uq_processed_events_event",
                "INSERT INTO processed_events (event_id, portfolio_id) VALUES ('dup', 1)");
        SnapshotReaderTest.createInvalidIndex(db, "processed_events", "event_id", "ux_event_note");
        SchemaDiff diff = SchemaDiff.between(before, snapshot(db));

        assertThat(diff.changes()).extracting(Change::kind, Change::object)
                .contains(tuple(ChangeKind.COLUMN_DROPPED, "public.processed_events.correlation_id"),
                        tuple(ChangeKind.TABLE_ADDED, "public.audit_log"),
                        tuple(ChangeKind.COLUMN_TYPE_CHANGED, "public.processed_events.event_id"),
                        tuple(ChangeKind.INDEX_BECAME_INVALID, "public.ux_event_note"),
                        tuple(ChangeKind.INDEX_DROPPED, "public.ix_processed_events_corr"),
                        tuple(ChangeKind.CONSTRAINT_DROPPED, "public.processed_events.uq_processed_events_event"),
                        tuple(ChangeKind.VIEW_DROPPED, "public.recent_events"));
        Change type = diff.changes().stream().filter(c -> c.kind() == ChangeKind.COLUMN_TYPE_CHANGED).findFirst().orElseThrow();
        assertThat(type.expected()).isEqualTo("character varying(64)");
        assertThat(type.actual()).isEqualTo("text");
        assertThat(type.breaking()).isTrue();
        assertThat(type.message()).isEqualTo("column public.processed_events.event_id changed type from character varying(64) to text");
        Change dropped = diff.changes().stream().filter(c -> c.kind() == ChangeKind.COLUMN_DROPPED).findFirst().orElseThrow();
        assertThat(dropped.drift()).isEqualTo(Drift.MISSING);
        assertThat(dropped.message()).isEqualTo("column public.processed_events.correlation_id (text) is missing");
        assertThat(diff.forTable("public.processed_events")).isNotEmpty();
        assertThat(diff.withoutExtras().changes()).extracting(Change::drift).doesNotContain(Drift.EXTRA);
    }

    @Test
    void classifiesRenamesNullabilityDefaultsAndConstraintsFromFacts(TestDatabase db) {
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, customer_ref text, status text, total numeric)",
                "CREATE TABLE customers (id int PRIMARY KEY)");
        SchemaSnapshot before = snapshot(db);

        db.execute("ALTER TABLE orders RENAME COLUMN customer_ref TO customer_id",
                "ALTER TABLE orders ALTER COLUMN status SET NOT NULL",
                "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new'",
                "ALTER TABLE orders ADD COLUMN note text",
                "ALTER TABLE orders ADD CONSTRAINT ck_total CHECK (total >= 0) NOT VALID",
                "ALTER TABLE customers RENAME TO clients",
                "CREATE INDEX ix_orders_status ON orders (status)");
        SchemaDiff diff = SchemaDiff.between(before, snapshot(db));

        assertThat(diff.changes()).extracting(Change::kind, Change::object, Change::breaking).containsExactlyInAnyOrder(
                tuple(ChangeKind.TABLE_RENAMED, "public.customers", true),
                tuple(ChangeKind.COLUMN_RENAMED, "public.orders.customer_ref", true),
                tuple(ChangeKind.COLUMN_NULLABILITY_CHANGED, "public.orders.status", true),
                tuple(ChangeKind.COLUMN_DEFAULT_CHANGED, "public.orders.status", false),
                tuple(ChangeKind.COLUMN_ADDED, "public.orders.note", false),
                tuple(ChangeKind.CONSTRAINT_ADDED_NOT_VALIDATED, "public.orders.ck_total", true),
                tuple(ChangeKind.INDEX_ADDED, "public.ix_orders_status", false));
        Change rename = diff.changes().stream().filter(c -> c.kind() == ChangeKind.COLUMN_RENAMED).findFirst().orElseThrow();
        assertThat(rename.expected()).isEqualTo("customer_ref");
        assertThat(rename.actual()).isEqualTo("customer_id");
        assertThat(diff.hasBreakingChanges()).isTrue();
    }

    @Test
    void aDroppedAndReAddedColumnIsNotARename(TestDatabase db) {
        db.execute("CREATE TABLE t (id int, a text)");
        SchemaSnapshot before = snapshot(db);
        db.execute("ALTER TABLE t DROP COLUMN a", "ALTER TABLE t ADD COLUMN b text");
        assertThat(SchemaDiff.between(before, snapshot(db)).changes()).extracting(Change::kind)
                .containsExactly(ChangeKind.COLUMN_DROPPED, ChangeKind.COLUMN_ADDED);
    }

    private static SchemaSnapshot snapshot(TestDatabase db) {
        return SnapshotReader.read(target(db), SnapshotOptions.defaults());
    }
}
