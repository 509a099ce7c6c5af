package io.migrationrunbook.schema;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.schema.SchemaSnapshot.Column;
import io.migrationrunbook.schema.SchemaSnapshot.Constraint;
import io.migrationrunbook.schema.SchemaSnapshot.Index;
import io.migrationrunbook.schema.SchemaSnapshot.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
public class SnapshotReaderTest {

    public static final String[] SAMPLE_SCHEMA = {
            """
            CREATE TABLE portfolios (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
            CREATE TABLE processed_events (
                id bigserial PRIMARY KEY,
                event_id varchar(64) NOT NULL,
                portfolio_id bigint REFERENCES portfolios (id),
                amount numeric(12, 2) DEFAULT 0 NOT NULL,
                correlation_id text,
                created_at timestamptz DEFAULT now(),
                amount_cents bigint GENERATED ALWAYS AS ((amount * 100)::bigint) STORED,
                CONSTRAINT uq_processed_events_event UNIQUE (event_id));
            CREATE INDEX ix_processed_events_corr ON processed_events (correlation_id) WHERE correlation_id IS NOT NULL;
            CREATE INDEX ix_processed_events_lower ON processed_events (lower(correlation_id), created_at) INCLUDE (amount);
            CREATE SEQUENCE invoice_numbers AS integer INCREMENT BY 5;
            CREATE VIEW recent_events AS SELECT id, event_id FROM processed_events WHERE created_at > now() - interval '1 day';
            CREATE MATERIALIZED VIEW event_totals AS SELECT portfolio_id, sum(amount) AS total FROM processed_events GROUP BY 1;
            INSERT INTO portfolios (name) VALUES ('p1'), ('p2');
            INSERT INTO processed_events (event_id, portfolio_id, correlation_id) VALUES ('e1', 1, 'c'), ('e2', 1, 'c'), ('e3', 2, 'd');
            ALTER TABLE processed_events ADD CONSTRAINT ck_amount_positive CHECK (amount >= 0) NOT VALID;
            """
    };

    /** A failed CREATE UNIQUE INDEX CONCURRENTLY (duplicate data) leaves the index behind, INVALID. */
    public static void createInvalidIndex(TestDatabase db, String table, String column, String index) throws Exception {
        try (Connection c = db.connect(); var s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX CONCURRENTLY " + index + " ON " + table + " (" + column + ")");
            throw new AssertionError("expected the unique index build to fail on duplicate data");
        } catch (java.sql.SQLException expected) {
            assertThat(expected.getSQLState()).isEqualTo("23505");
        }
    }

    @Test
    void capturesEveryObjectKindWithSetBasedQueries(TestDatabase db) throws Exception {
        db.execute(SAMPLE_SCHEMA);
        createInvalidIndex(db, "processed_events", "correlation_id", "ux_processed_events_corr");

        SchemaSnapshot snapshot = SnapshotReader.read(target(db), SnapshotOptions.defaults());

        assertThat(snapshot.database()).isEqualTo(db.name());
        assertThat(snapshot.serverVersion()).startsWith("15");
        assertThat(snapshot.tables()).extracting(Table::qualifiedName)
                .containsExactly("public.portfolios", "public.processed_events");

        Table events = snapshot.table("public.processed_events").orElseThrow();
        assertThat(events.columns()).extracting(Column::name)
                .containsExactly("id", "event_id", "portfolio_id", "amount", "correlation_id", "created_at", "amount_cents");
        assertThat(events.column("id").orElseThrow())
                .isEqualTo(new Column("id", 1, "bigint", false, "nextval('processed_events_id_seq'::regclass)", null, null));
        assertThat(events.column("event_id").orElseThrow().type()).isEqualTo("character varying(64)");
        assertThat(events.column("amount").orElseThrow())
                .isEqualTo(new Column("amount", 4, "numeric(12,2)", false, "0", null, null));
        assertThat(events.column("correlation_id").orElseThrow().nullable()).isTrue();
        assertThat(events.column("created_at").orElseThrow().type()).isEqualTo("timestamp with time zone");
        assertThat(events.column("created_at").orElseThrow().defaultValue()).isEqualTo("now()");
        assertThat(events.column("amount_cents").orElseThrow().generated()).isEqualTo("((amount * (100)::numeric))::bigint");
        assertThat(events.column("amount_cents").orElseThrow().defaultValue()).isNull();
        Table portfolios = snapshot.table("public.portfolios").orElseThrow();
        assertThat(portfolios.column("id").orElseThrow().identity()).isEqualTo("ALWAYS");

        assertThat(events.indexes()).extracting(Index::name).containsExactly("ix_processed_events_corr",
                "ix_processed_events_lower", "processed_events_pkey", "uq_processed_events_event", "ux_processed_events_corr");
        Index invalid = events.index("ux_processed_events_corr").orElseThrow();
        assertThat(invalid.valid()).isFalse();
        assertThat(invalid.unique()).isTrue();
        assertThat(invalid.columns()).containsExactly("correlation_id");
        Index partial = events.index("ix_processed_events_corr").orElseThrow();
        assertThat(partial.valid()).isTrue();
        assertThat(partial.unique()).isFalse();
        assertThat(partial.definition()).contains("WHERE (correlation_id IS NOT NULL)");
        Index expression = events.index("ix_processed_events_lower").orElseThrow();
        assertThat(expression.columns()).containsExactly("lower(correlation_id)", "created_at");
        assertThat(expression.definition()).contains("INCLUDE (amount)");
        Index pkey = events.index("processed_events_pkey").orElseThrow();
        assertThat(pkey.primary()).isTrue();
        assertThat(pkey.unique()).isTrue();

        assertThat(events.constraints()).extracting(Constraint::name).containsExactly("ck_amount_positive",
                "processed_events_pkey", "processed_events_portfolio_id_fkey", "uq_processed_events_event");
        assertThat(events.constraint("ck_amount_positive").orElseThrow())
                .isEqualTo(new Constraint("ck_amount_positive", "CHECK", "CHECK (amount >= 0::numeric) NOT VALID", false));
        Constraint fk = events.constraint("processed_events_portfolio_id_fkey").orElseThrow();
        assertThat(fk.type()).isEqualTo("FOREIGN KEY");
        assertThat(fk.validated()).isTrue();
        assertThat(fk.definition()).isEqualTo("FOREIGN KEY (portfolio_id) REFERENCES portfolios(id)");

        assertThat(snapshot.sequences()).extracting(SchemaSnapshot.Sequence::qualifiedName)
                .containsExactly("public.invoice_numbers", "public.portfolios_id_seq", "public.processed_events_id_seq");
        assertThat(snapshot.sequences().get(0)).isEqualTo(new SchemaSnapshot.Sequence("public", "invoice_numbers", "integer", 5, null));
        assertThat(snapshot.sequences().get(2).ownedBy()).isEqualTo("public.processed_events.id");
        assertThat(snapshot.sequences().get(1).ownedBy()).isEqualTo("public.portfolios.id");

        assertThat(snapshot.views()).extracting(SchemaSnapshot.View::qualifiedName)
                .containsExactly("public.event_totals", "public.recent_events");
        assertThat(snapshot.views().get(0).materialized()).isTrue();
        assertThat(snapshot.views().get(1).definition()).contains("FROM processed_events").contains("interval");
        assertThat(snapshot.rowCounts()).isNull();
    }

    @Test
    void rowCountsAreExactAndBatched(TestDatabase db) {
        db.execute(SAMPLE_SCHEMA);
        db.execute("CREATE SCHEMA \"Odd Schema\"", "CREATE TABLE \"Odd Schema\".\"Quoted \"\"Name\"\"\" (x int)",
                "INSERT INTO \"Odd Schema\".\"Quoted \"\"Name\"\"\" SELECT generate_series(1, 7)");

        SchemaSnapshot snapshot = SnapshotReader.read(target(db), SnapshotOptions.defaults().withRowCounts(true).withRowCountBatchSize(2));

        assertThat(snapshot.rowCounts()).containsExactly(
                java.util.Map.entry("Odd Schema.Quoted \"Name\"", 7L),
                java.util.Map.entry("public.portfolios", 2L),
                java.util.Map.entry("public.processed_events", 3L));
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aRowCountBlockedByAnExclusiveLockFailsAfterTheLockTimeoutInsteadOfWaiting(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE busy (id int)", "INSERT INTO busy VALUES (1)");
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");

            assertThatThrownBy(() -> SnapshotReader.read(target(db), SnapshotOptions.defaults().withRowCounts(true)
                    .withRowCountLockTimeout(java.time.Duration.ofMillis(300))))
                    .isInstanceOf(io.migrationrunbook.core.RunbookException.class)
                    .hasMessageContaining("waited longer than").hasMessageContaining("public.busy");
            holder.rollback();
        }
        // the session's own lock_timeout is untouched afterwards: SET LOCAL ended with each count's transaction
        assertThat(SnapshotReader.read(target(db), SnapshotOptions.defaults().withRowCounts(true)).rowCounts())
                .containsEntry("public.busy", 1L);
    }

    @Test
    void schemasOptionRestrictsTheSnapshotAndExtensionObjectsAreLeftOut(TestDatabase db) {
        db.execute(SAMPLE_SCHEMA);
        db.execute("CREATE SCHEMA billing", "CREATE TABLE billing.invoices (id int PRIMARY KEY)");

        SchemaSnapshot billing = SnapshotReader.read(target(db), SnapshotOptions.defaults().withSchemas(List.of("billing")));
        assertThat(billing.tables()).extracting(Table::qualifiedName).containsExactly("billing.invoices");
        assertThat(billing.schemas()).containsExactly("billing");
        assertThat(billing.views()).isEmpty();

        SchemaSnapshot all = SnapshotReader.read(target(db), SnapshotOptions.defaults());
        assertThat(all.schemas()).isNull();
        assertThat(all.tables()).extracting(Table::qualifiedName)
                .containsExactly("billing.invoices", "public.portfolios", "public.processed_events");
    }

    @Test
    void jsonIsStableAcrossRunsAndRoundTrips(TestDatabase db, @TempDir Path dir) {
        db.execute(SAMPLE_SCHEMA);
        SchemaSnapshot first = SnapshotReader.read(target(db), SnapshotOptions.defaults().withRowCounts(true));
        SchemaSnapshot second = SnapshotReader.read(target(db), SnapshotOptions.defaults().withRowCounts(true));
        assertThat(second.toJson()).isEqualTo(first.toJson());

        Path file = dir.resolve("nested/snapshot.json");
        first.writeTo(file);
        SchemaSnapshot read = SchemaSnapshot.readFrom(file);
        assertThat(read).isEqualTo(first);
        assertThat(read.toJson()).isEqualTo(first.toJson());
    }

    @Test
    void insideACallersTransactionItSeesUncommittedDdlAndLeavesTheTransactionOpen(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("ALTER TABLE t ADD COLUMN note text");
                s.execute("INSERT INTO t VALUES (1, 'x')");
            }
            SchemaSnapshot during = SnapshotReader.read(c, SnapshotOptions.defaults().withRowCounts(true));
            assertThat(during.table("public.t").orElseThrow().column("note")).isPresent();
            assertThat(during.rowCounts()).containsEntry("public.t", 1L);
            assertThat(c.getAutoCommit()).isFalse();
            c.rollback();
        }
        try (Connection c = db.connect()) {
            SnapshotReader.read(c, SnapshotOptions.defaults());
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.isReadOnly()).isFalse();
        }
        assertThat(SnapshotReader.read(target(db), SnapshotOptions.defaults()).table("public.t").orElseThrow().column("note")).isEmpty();
    }

    @Test
    void unreadableSnapshotFilesAreConfigurationErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SchemaSnapshot.readFrom(dir.resolve("missing.json")))
                .hasMessageContaining("does not exist").hasMessageContaining("runbook snapshot --out");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"tables\": 3}");
        assertThatThrownBy(() -> SchemaSnapshot.readFrom(garbage)).hasMessageContaining("is not a runbook snapshot");
    }

    public static io.migrationrunbook.db.DatabaseTarget target(TestDatabase db) {
        return new io.migrationrunbook.db.DatabaseTarget(db.jdbcUrl(), db.user(), io.migrationrunbook.core.Secret.of(db.password()));
    }
}
