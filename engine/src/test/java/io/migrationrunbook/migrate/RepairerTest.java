package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class RepairerTest {

    private static final String INVALID = "SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE NOT x.indisvalid";
    private static final String FAILED_ROWS = "SELECT count(*) FROM flyway_schema_history WHERE NOT success";

    @TempDir
    Path dir;

    /** V2's CREATE UNIQUE INDEX CONCURRENTLY fails on duplicate emails: an INVALID index and a failed history row remain. */
    private MigrationFiles failedUniqueIndex(TestDatabase db) {
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, email text, name text);\n"
                        + "INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com'), ('a@example.com');")
                .write("V2__unique_email.sql", "-- one per address\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"users_email_ux\" ON users (email);");
        MigrationResult failed = new Migrator(MigrationFiles.target(db), files.settings()).migrate(Progress.silent());
        assertThat(failed.failure().failedHistoryEntry()).isTrue();
        assertThat(failed.failure().fix()).contains("runbook repair", "runbook repair --apply", "run migrate again");
        assertThat(db.queryLong(INVALID)).isEqualTo(1);
        assertThat(db.queryLong(FAILED_ROWS)).isEqualTo(1);
        return files;
    }

    @Test
    void dryRunReportsTheFailedRowAndTheInvalidIndexAndChangesNothing(TestDatabase db) {
        MigrationFiles files = failedUniqueIndex(db);
        List<String> progress = new CopyOnWriteArrayList<>();

        RepairResult plan = new Repairer(MigrationFiles.target(db), files.settings()).plan(progress::add);

        assertThat(plan.status()).isEqualTo(RepairResult.Status.NEEDS_REPAIR);
        assertThat(plan.passed()).isFalse();
        assertThat(plan.applied()).isFalse();
        assertThat(plan.historyTable()).isEqualTo("public.flyway_schema_history");
        assertThat(plan.failedEntries()).singleElement().satisfies(e -> {
            assertThat(e.version()).isEqualTo("2");
            assertThat(e.description()).isEqualTo("unique email");
            assertThat(e.script()).isEqualTo("V2__unique_email.sql");
            assertThat(e.installedOn()).isNotBlank();
            assertThat(e.file()).isEqualTo(dir.resolve("V2__unique_email.sql").toString());
            assertThat(e.indexesCreated()).containsExactly("users_email_ux");
        });
        assertThat(plan.invalidIndexes()).singleElement().satisfies(i -> {
            assertThat(i.schema()).isEqualTo("public");
            assertThat(i.table()).isEqualTo("users");
            assertThat(i.index()).isEqualTo("users_email_ux");
            assertThat(i.definition()).contains("CREATE UNIQUE INDEX users_email_ux ON public.users");
            assertThat(i.createdBy()).isEqualTo("V2");
            assertThat(i.drop()).isTrue();
        });
        assertThat(plan.actions()).extracting(RepairResult.Action::kind, RepairResult.Action::sql, RepairResult.Action::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("DROP_INVALID_INDEX", "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_ux\"", "PLANNED"),
                org.assertj.core.groups.Tuple.tuple("DELETE_FAILED_HISTORY_ROW",
                        "DELETE FROM \"public\".\"flyway_schema_history\" WHERE installed_rank = 2 AND NOT success", "PLANNED"));
        assertThat(progress).anyMatch(l -> l.contains("1 failed entry (V2)") && l.contains("1 invalid index(es) (public.users_email_ux)"));
        assertThat(db.queryLong(INVALID)).as("index untouched").isEqualTo(1);
        assertThat(db.queryLong(FAILED_ROWS)).as("history untouched").isEqualTo(1);
    }

    @Test
    void applyDropsTheIndexAndRemovesTheFailedRowThenMigrateSucceedsOnceTheDataIsFixed(TestDatabase db) {
        MigrationFiles files = failedUniqueIndex(db);
        DatabaseTarget target = MigrationFiles.target(db);

        RepairResult repaired = new Repairer(target, files.settings()).apply(Progress.silent());

        assertThat(repaired.status()).isEqualTo(RepairResult.Status.REPAIRED);
        assertThat(repaired.passed()).isTrue();
        assertThat(repaired.applied()).isTrue();
        assertThat(repaired.actions()).extracting(RepairResult.Action::status).containsExactly("DONE", "DONE");
        assertThat(repaired.actions().get(1).message()).isEqualTo("1 row(s) deleted");
        assertThat(db.queryLong(INVALID)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'users_email_ux'")).isZero();
        assertThat(db.queryLong(FAILED_ROWS)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")).as("V1 kept").isEqualTo(1);

        // without fixing the data, migrate fails the same way again (and repair is needed again)
        db.execute("DELETE FROM users WHERE id = 3");
        MigrationResult migrated = new Migrator(target, files.settings()).migrate(Progress.silent());
        assertThat(migrated.succeeded()).as(String.valueOf(migrated.failure())).isTrue();
        assertThat(migrated.finalVersion()).isEqualTo("2");
        assertThat(db.queryLong("SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                + "WHERE i.relname = 'users_email_ux' AND x.indisvalid")).isEqualTo(1);

        RepairResult clean = new Repairer(target, files.settings()).plan();
        assertThat(clean.status()).isEqualTo(RepairResult.Status.CLEAN);
        assertThat(clean.passed()).isTrue();
        assertThat(clean.actions()).isEmpty();
    }

    @Test
    void anUnrelatedInvalidIndexIsLeftAloneUnlessAskedToDropAll(TestDatabase db) {
        MigrationFiles files = failedUniqueIndex(db);
        DatabaseTarget target = MigrationFiles.target(db);
        // a failed build run by hand, not by any migration
        db.execute("CREATE TABLE tags (name text)", "INSERT INTO tags VALUES ('x'), ('x')");
        assertThatThrownBy(() -> db.execute("CREATE UNIQUE INDEX CONCURRENTLY tags_name_ux ON tags (name)")).hasMessageContaining("duplicate");
        assertThat(db.queryLong(INVALID)).isEqualTo(2);

        RepairResult plan = new Repairer(target, files.settings()).plan();
        assertThat(plan.invalidIndexes()).extracting(RepairResult.IndexFinding::index, RepairResult.IndexFinding::drop)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tags_name_ux", false), org.assertj.core.groups.Tuple.tuple("users_email_ux", true));
        assertThat(plan.invalidIndexes().get(0).reason()).contains("found but not touched", "--drop-all-invalid-indexes");
        assertThat(plan.warnings()).anyMatch(w -> w.contains("public.tags_name_ux") && w.contains("not touched"));

        RepairResult repaired = new Repairer(target, files.settings()).apply(Progress.silent());
        assertThat(repaired.status()).isEqualTo(RepairResult.Status.REPAIRED);
        assertThat(repaired.actions()).extracting(RepairResult.Action::target).containsExactly("public.users_email_ux", "V2");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'tags_name_ux'")).as("unrelated index left").isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'users_email_ux'")).isZero();

        // nothing left for the failed migration; the stray index alone does not make the dry run fail
        assertThat(new Repairer(target, files.settings()).plan().status()).isEqualTo(RepairResult.Status.CLEAN);

        RepairResult all = new Repairer(target, files.settings()).dropAllInvalidIndexes(true).apply(Progress.silent());
        assertThat(all.status()).isEqualTo(RepairResult.Status.REPAIRED);
        assertThat(all.invalidIndexes()).singleElement().satisfies(i -> assertThat(i.reason()).contains("--drop-all-invalid-indexes"));
        assertThat(db.queryLong(INVALID)).isZero();
    }

    @Test
    void droppingWaitsOutALongTransactionWithLockTimeoutRetries(TestDatabase db) throws SQLException {
        MigrationFiles files = failedUniqueIndex(db);
        MigrationSettings settings = files.settings().lockTimeout(Duration.ofMillis(300)).lockRetries(5)
                .retryBaseDelay(Duration.ofMillis(100)).retryMaxDelay(Duration.ofMillis(200));
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("SELECT count(*) FROM users"); // a transaction that touched the table: DROP INDEX CONCURRENTLY waits for it
            List<String> progress = new CopyOnWriteArrayList<>();
            Progress commitOnFirstRetry = line -> {
                progress.add(line);
                if (line.contains("Retry 1 of 5")) {
                    try {
                        holder.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };

            RepairResult repaired = new Repairer(MigrationFiles.target(db), settings).apply(commitOnFirstRetry);

            assertThat(repaired.status()).as(String.valueOf(repaired.actions())).isEqualTo(RepairResult.Status.REPAIRED);
            assertThat(repaired.actions().get(0).retries()).as("at least the wait for the holder").isGreaterThanOrEqualTo(1);
            assertThat(progress).anyMatch(l -> l.startsWith("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_ux\" hit the lock timeout")
                    && l.contains("Retry 1 of 5"));
            assertThat(db.queryLong(INVALID)).isZero();
            assertThat(db.queryLong(FAILED_ROWS)).isZero();
        }
    }

    @Test
    void aLockHeldThroughEveryRetryFailsTheDropAndKeepsTheFailedRow(TestDatabase db) throws SQLException {
        MigrationFiles files = failedUniqueIndex(db);
        MigrationSettings settings = files.settings().lockTimeout(Duration.ofMillis(200)).lockRetries(1)
                .retryBaseDelay(Duration.ofMillis(50)).retryMaxDelay(Duration.ofMillis(50));
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("SELECT count(*) FROM users");

            RepairResult result = new Repairer(MigrationFiles.target(db), settings).apply(Progress.silent());

            assertThat(result.status()).isEqualTo(RepairResult.Status.FAILED);
            assertThat(result.passed()).isFalse();
            assertThat(result.actions()).extracting(RepairResult.Action::status).containsExactly("FAILED", "SKIPPED");
            assertThat(result.actions().get(0).message()).contains("55P03", "pg_stat_activity");
            assertThat(result.actions().get(0).retries()).isEqualTo(1);
            holder.rollback();
        }
        assertThat(db.queryLong(FAILED_ROWS)).as("the row stays while its index may remain").isEqualTo(1);
    }

    @Test
    void aConcurrentBuildCutShortByTheLockTimeoutIsRepairedAndMigratesOnceTheTransactionIsGone(TestDatabase db) throws SQLException {
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);")
                .write("V2__index_payload.sql", "CREATE INDEX CONCURRENTLY events_payload_ix ON events (payload);");
        DatabaseTarget target = MigrationFiles.target(db);
        assertThat(new Migrator(target, files.settings().target("1")).migrate(Progress.silent()).succeeded()).isTrue();
        try (Connection writer = db.connect(); Statement s = writer.createStatement()) {
            writer.setAutoCommit(false);
            s.executeUpdate("INSERT INTO events (payload) VALUES ('in flight')"); // the build waits for it, up to the lock timeout
            MigrationResult failed = new Migrator(target, files.settings().lockTimeout(Duration.ofMillis(300)).lockRetries(1)
                    .retryBaseDelay(Duration.ofMillis(50)).retryMaxDelay(Duration.ofMillis(50))).migrate(Progress.silent());
            assertThat(failed.failure().kind()).isEqualTo(MigrationFailure.Kind.LOCK_TIMEOUT);
            assertThat(failed.failure().fix()).contains("runbook repair");
            writer.rollback();
        }
        assertThat(db.queryLong(INVALID)).isEqualTo(1);
        assertThat(db.queryLong(FAILED_ROWS)).isEqualTo(1);

        RepairResult repaired = new Repairer(target, files.settings()).apply(Progress.silent());
        assertThat(repaired.status()).isEqualTo(RepairResult.Status.REPAIRED);
        assertThat(repaired.invalidIndexes()).singleElement().extracting(RepairResult.IndexFinding::createdBy).isEqualTo("V2");

        MigrationResult migrated = new Migrator(target, files.settings()).migrate(Progress.silent());
        assertThat(migrated.succeeded()).as(String.valueOf(migrated.failure())).isTrue();
        assertThat(db.queryLong(INVALID)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'events_payload_ix'")).isEqualTo(1);
    }

    @Test
    void anIndexBeingBuiltRightNowIsNeverDroppedEvenWithDropAll(TestDatabase db) throws Exception {
        MigrationFiles files = new MigrationFiles(dir).write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);");
        DatabaseTarget target = MigrationFiles.target(db);
        assertThat(new Migrator(target, files.settings()).migrate(Progress.silent()).succeeded()).isTrue();
        try (Connection writer = db.connect(); Statement w = writer.createStatement(); Connection builder = db.connect()) {
            writer.setAutoCommit(false);
            w.executeUpdate("INSERT INTO events (payload) VALUES ('in flight')"); // the concurrent build waits for this transaction
            java.util.concurrent.CompletableFuture<Void> build = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (Statement b = builder.createStatement()) {
                    b.execute("CREATE INDEX CONCURRENTLY events_payload_ix ON events (payload)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (db.queryLong("SELECT count(*) FROM pg_stat_progress_create_index p JOIN pg_class i ON i.oid = p.index_relid "
                    + "WHERE i.relname = 'events_payload_ix'") == 0) {
                assertThat(System.nanoTime()).as("the build started").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(db.queryLong(INVALID)).as("INVALID while it is built").isEqualTo(1);

            RepairResult plan = new Repairer(target, files.settings()).dropAllInvalidIndexes(true).plan();
            assertThat(plan.status()).isEqualTo(RepairResult.Status.CLEAN);
            assertThat(plan.actions()).isEmpty();
            assertThat(plan.invalidIndexes()).singleElement().satisfies(i -> {
                assertThat(i.drop()).isFalse();
                assertThat(i.reason()).contains("being built right now by another session (pid");
            });

            writer.rollback();
            build.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(db.queryLong(INVALID)).as("the build finished").isZero();
    }

    @Test
    void checksumRealignmentOfAnAppliedMigrationIsRefusedUnlessAsked(TestDatabase db) {
        MigrationFiles files = new MigrationFiles(dir).write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        DatabaseTarget target = MigrationFiles.target(db);
        assertThat(new Migrator(target, files.settings()).migrate(Progress.silent()).succeeded()).isTrue();
        files.write("V1__create_events.sql", "-- a comment added later\nCREATE TABLE events (id bigserial PRIMARY KEY);");

        RepairResult plan = new Repairer(target, files.settings()).plan();
        assertThat(plan.status()).isEqualTo(RepairResult.Status.NEEDS_REPAIR);
        assertThat(plan.checksumMismatches()).singleElement().extracting(RepairResult.ChecksumMismatch::version).isEqualTo("1");
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.warnings()).anyMatch(w -> w.contains("Not realigning") && w.contains("--realign-checksums"));

        RepairResult refused = new Repairer(target, files.settings()).apply(Progress.silent());
        assertThat(refused.status()).isEqualTo(RepairResult.Status.REFUSED);
        assertThat(refused.passed()).isFalse();
        assertThat(new Migrator(target, files.settings()).validate().valid()).as("still refused by validation").isFalse();

        RepairResult realigned = new Repairer(target, files.settings()).realignChecksums(true).apply(Progress.silent());
        assertThat(realigned.status()).isEqualTo(RepairResult.Status.REPAIRED);
        assertThat(realigned.actions()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("REALIGN_CHECKSUMS");
            assertThat(a.status()).isEqualTo("DONE");
            assertThat(a.message()).contains("1 aligned");
        });
        assertThat(new Migrator(target, files.settings()).validate().valid()).isTrue();
    }

    @Test
    void anIndexOnATableInAnotherSchemaIsMatchedInThatSchemaAndDropped(TestDatabase db) {
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_billing_invoices.sql", "CREATE SCHEMA billing;\n"
                        + "CREATE TABLE billing.invoices (id bigserial PRIMARY KEY, number text);\n"
                        + "INSERT INTO billing.invoices (number) VALUES ('A-1'), ('A-1');")
                .write("V2__unique_invoice_number.sql", "CREATE UNIQUE INDEX CONCURRENTLY invoices_number_ux ON billing.invoices (number);");
        DatabaseTarget target = MigrationFiles.target(db);
        assertThat(new Migrator(target, files.settings()).migrate(Progress.silent()).succeeded()).isFalse();

        RepairResult plan = new Repairer(target, files.settings()).plan();
        assertThat(plan.invalidIndexes()).singleElement().satisfies(i -> {
            assertThat(i.schema()).isEqualTo("billing");
            assertThat(i.createdBy()).as("the index lives in its table's schema, not the history's").isEqualTo("V2");
            assertThat(i.drop()).isTrue();
        });

        RepairResult repaired = new Repairer(target, files.settings()).apply(Progress.silent());
        assertThat(repaired.status()).isEqualTo(RepairResult.Status.REPAIRED);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'invoices_number_ux'")).isZero();
    }

    @Test
    void indexNamesAreReadFromCreateIndexStatementsIncludingDoBlocks() {
        assertThat(Repairer.indexesCreated("""
                CREATE INDEX CONCURRENTLY a_ix ON t (a);
                create unique index concurrently if not exists "Mixed_Case" on s.t (b);
                CREATE INDEX c_ix ON app.t (c);
                CREATE INDEX ON t (d);               -- unnamed: PostgreSQL picks the name
                -- CREATE INDEX commented_ix ON t (e);
                DO $$ BEGIN CREATE INDEX in_do_ix ON t (f); END $$;
                SELECT 'CREATE INDEX not_an_ix ON t (g)';
                """)).containsExactly("a_ix", "s.Mixed_Case", "app.c_ix", "in_do_ix");
    }

    @Test
    void aCleanDatabaseNeedsNoRepair(TestDatabase db) {
        MigrationFiles files = new MigrationFiles(dir).write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        DatabaseTarget target = MigrationFiles.target(db);
        assertThat(new Repairer(target, files.settings()).plan().status()).as("no history table yet").isEqualTo(RepairResult.Status.CLEAN);
        assertThat(new Migrator(target, files.settings()).migrate(Progress.silent()).succeeded()).isTrue();
        RepairResult applied = new Repairer(target, files.settings()).apply(Progress.silent());
        assertThat(applied.status()).isEqualTo(RepairResult.Status.CLEAN);
        assertThat(applied.passed()).isTrue();
    }
}
