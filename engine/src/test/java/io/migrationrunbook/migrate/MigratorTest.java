package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class MigratorTest {

    @TempDir
    Path dir;

    private MigrationFiles files() {
        return new MigrationFiles(dir);
    }

    @Test
    void appliesPendingMigrationsInOrderUnderTheSessionTimeouts(TestDatabase db) {
        MigrationFiles files = files()
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);")
                .write("V2__add_processed_at.sql", "ALTER TABLE events ADD COLUMN processed_at timestamptz;")
                .write("V3__record_settings.sql", "CREATE TABLE seen_settings AS SELECT current_setting('lock_timeout') AS lock_timeout, "
                        + "current_setting('statement_timeout') AS statement_timeout;\n"
                        + "SET lock_timeout = '9s';") // a migration may raise it for itself only
                .write("V4__record_settings_again.sql", "INSERT INTO seen_settings SELECT current_setting('lock_timeout'), "
                        + "current_setting('statement_timeout');")
                .write("afterMigrate.sql", "INSERT INTO seen_settings SELECT current_setting('lock_timeout'), "
                        + "current_setting('statement_timeout');");
        List<String> progress = new ArrayList<>();

        MigrationResult result = new Migrator(MigrationFiles.target(db), files.settings()
                .lockTimeout(Duration.ofMillis(1500)).statementTimeout(Duration.ofMinutes(3))).migrate(progress::add);

        assertThat(result.status()).as(String.valueOf(result.failure())).isEqualTo(MigrationResult.Status.SUCCESS);
        assertThat(result.initialVersion()).isNull();
        assertThat(result.finalVersion()).isEqualTo("4");
        assertThat(result.applied()).extracting(AppliedMigration::version).containsExactly("1", "2", "3", "4");
        assertThat(result.applied()).allSatisfy(m -> {
            assertThat(m.retries()).isZero();
            assertThat(m.durationMs()).isNotNegative();
            assertThat(m.file()).startsWith(dir.toString());
            assertThat(m.transactional()).isTrue();
        });
        assertThat(result.migrationsApplied()).isEqualTo(4);
        assertThat(result.invalidIndexes()).isEmpty();
        assertThat(result.schemas()).containsExactly("public");
        assertThat(progress).anyMatch(p -> p.startsWith("Applying V2 \"add processed at\""))
                .anyMatch(p -> p.startsWith("Applied V3"));
        // the migrations themselves saw the timeouts (V3's own SET did not leak into V4), and so did the SQL callback
        assertThat(db.queryLong("SELECT count(*) FROM seen_settings")).isEqualTo(3);
        assertThat(db.queryLong("SELECT count(*) FROM seen_settings WHERE lock_timeout = '1500ms' AND statement_timeout = '3min'")).isEqualTo(3);

        MigrationResult again = new Migrator(MigrationFiles.target(db), files.settings()).migrate(Progress.silent());
        assertThat(again.succeeded()).isTrue();
        assertThat(again.applied()).isEmpty();
        assertThat(again.initialVersion()).isEqualTo("4");
    }

    @Test
    void targetStopsAtAVersionAndTheDryRunChangesNothing(TestDatabase db) {
        MigrationFiles files = files()
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);")
                .write("V2__add_payload.sql", "ALTER TABLE events ADD COLUMN payload text;")
                .write("V3__add_index.sql", "CREATE INDEX CONCURRENTLY events_payload_ix ON events (payload);");
        DatabaseTarget target = MigrationFiles.target(db);

        MigrationPlan plan = new Migrator(target, files.settings()).plan();
        assertThat(plan.currentVersion()).isNull();
        assertThat(plan.pending()).extracting(PendingMigration::version).containsExactly("1", "2", "3");
        assertThat(plan.pending()).extracting(PendingMigration::file)
                .containsExactly(dir.resolve("V1__create_events.sql").toString(), dir.resolve("V2__add_payload.sql").toString(),
                        dir.resolve("V3__add_index.sql").toString());
        assertThat(plan.pending()).extracting(PendingMigration::transactional).containsExactly(true, true, false);
        assertThat(plan.validation().valid()).isTrue();
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("dry run created nothing").isZero();

        MigrationResult first = new Migrator(target, files.settings().target("2")).migrate(Progress.silent());
        assertThat(first.finalVersion()).isEqualTo("2");
        assertThat(first.targetVersion()).isEqualTo("2");
        assertThat(new Migrator(target, files.settings()).pending()).extracting(PendingMigration::script).containsExactly("V3__add_index.sql");
        assertThat(new Migrator(target, files.settings().target("2")).pending()).isEmpty();
    }

    @Test
    void concurrentIndexMigrationAppliesOutsideATransaction(TestDatabase db) {
        MigrationFiles files = files()
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);\n"
                        + "INSERT INTO events (payload) SELECT 'p' || g FROM generate_series(1, 1000) g;")
                .write("V2__index_payload.sql", "CREATE INDEX CONCURRENTLY events_payload_ix ON events (payload);");

        MigrationResult result = new Migrator(MigrationFiles.target(db), files.settings()).migrate(Progress.silent());

        assertThat(result.succeeded()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.applied().get(1).transactional()).isFalse();
        assertThat(db.queryLong("SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                + "WHERE i.relname = 'events_payload_ix' AND x.indisvalid")).isEqualTo(1);
    }

    @Test
    void failedConcurrentUniqueIndexIsReportedWithTheInvalidIndexItLeft(TestDatabase db) {
        MigrationFiles files = files()
                .write("V1__create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, email text);\n"
                        + "INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com'), ('a@example.com');")
                .write("V2__unique_email.sql", "CREATE UNIQUE INDEX CONCURRENTLY users_email_ux ON users (email);");

        MigrationResult result = new Migrator(MigrationFiles.target(db), files.settings()).migrate(Progress.silent());

        assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
        assertThat(result.finalVersion()).isEqualTo("1");
        MigrationFailure failure = result.failure();
        assertThat(failure.kind()).isEqualTo(MigrationFailure.Kind.SQL_ERROR);
        assertThat(failure.sqlState()).isEqualTo("23505");
        assertThat(failure.version()).isEqualTo("2");
        assertThat(failure.file()).isEqualTo(dir.resolve("V2__unique_email.sql").toString());
        assertThat(failure.statement()).contains("CREATE UNIQUE INDEX CONCURRENTLY users_email_ux");
        assertThat(failure.transactional()).isFalse();
        assertThat(failure.rolledBack()).isFalse();
        assertThat(failure.failedHistoryEntry()).isTrue();
        assertThat(failure.fix()).contains("DELETE FROM public.flyway_schema_history WHERE NOT success");
        assertThat(failure.message()).contains("V2__unique_email.sql", "23505", "Key (email)=(a@example.com) is duplicated");
        assertThat(failure.fix()).contains("DROP INDEX CONCURRENTLY public.users_email_ux");
        assertThat(result.invalidIndexes()).singleElement().satisfies(ix -> {
            assertThat(ix.index()).isEqualTo("users_email_ux");
            assertThat(ix.table()).isEqualTo("users");
            assertThat(ix.preExisting()).isFalse();
            assertThat(ix.fix()).startsWith("DROP INDEX CONCURRENTLY public.users_email_ux");
        });

        // the next run still sees it, but as pre-existing: a warning there, the failure is Flyway's failed entry (if any)
        MigrationResult next = new Migrator(MigrationFiles.target(db), files.settings()).migrate(Progress.silent());
        assertThat(next.invalidIndexes()).singleElement().extracting(InvalidIndex::preExisting).isEqualTo(true);
        assertThat(next.failure().kind()).isEqualTo(MigrationFailure.Kind.VALIDATION);
        assertThat(next.failure().message()).contains("V2");
        assertThat(next.failure().failedHistoryEntry()).isTrue();
        assertThat(next.failure().fix()).contains("DROP INDEX CONCURRENTLY", "WHERE NOT success");
    }

    @Test
    void failedTransactionalMigrationLeavesNothingBehindAndNamesFileStatementAndSqlState(TestDatabase db) {
        MigrationFiles files = files()
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);")
                .write("V2__broken.sql", "ALTER TABLE events ADD COLUMN payload text;\n\nINSERT INTO events (id)\n  VALUES (1 / 0);\n");

        MigrationResult result = new Migrator(MigrationFiles.target(db), files.settings()).migrate(Progress.silent());

        assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
        assertThat(result.applied()).extracting(AppliedMigration::version).containsExactly("1");
        MigrationFailure failure = result.failure();
        assertThat(failure.kind()).isEqualTo(MigrationFailure.Kind.SQL_ERROR);
        assertThat(failure.sqlState()).isEqualTo("22012");
        assertThat(failure.script()).isEqualTo("V2__broken.sql");
        assertThat(failure.statement()).contains("VALUES (1 / 0)");
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.rolledBack()).isTrue();
        assertThat(failure.failedHistoryEntry()).isFalse();
        assertThat(failure.fix()).contains("Nothing of this migration was applied");
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '2'")).as("no half-applied V2 in history").isZero();
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'payload'"))
                .as("the first statement of V2 rolled back too").isZero();
    }

    @Test
    void anEditedAppliedMigrationIsRefusedByValidation(TestDatabase db) {
        MigrationFiles files = files().write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        DatabaseTarget target = MigrationFiles.target(db);
        assertThat(new Migrator(target, files.settings()).migrate(Progress.silent()).succeeded()).isTrue();

        files.write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, edited text);")
                .write("V2__add_payload.sql", "ALTER TABLE events ADD COLUMN payload text;");
        ValidationReport validation = new Migrator(target, files.settings()).validate();
        assertThat(validation.valid()).isFalse();
        assertThat(validation.problems()).singleElement().satisfies(p -> {
            assertThat(p.version()).isEqualTo("1");
            assertThat(p.errorCode()).isEqualTo("CHECKSUM_MISMATCH");
        });

        MigrationResult result = new Migrator(target, files.settings()).migrate(Progress.silent());
        assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
        assertThat(result.failure().kind()).isEqualTo(MigrationFailure.Kind.VALIDATION);
        assertThat(result.failure().message()).contains("V1", "CHECKSUM_MISMATCH", "nothing was applied");
        assertThat(result.failure().fix()).contains("must never change");
        assertThat(result.applied()).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE column_name = 'payload'")).isZero();
    }

    @Test
    void badInputIsRefusedBeforeConnecting() {
        DatabaseTarget unreachable = new DatabaseTarget("jdbc:postgresql://localhost:1/nowhere", "x", null);
        MigrationFiles files = files().write("V1__create_events.sql", "CREATE TABLE events (id bigint);");

        assertThatThrownBy(() -> new Migrator(unreachable, MigrationSettings.create().locations("filesystem:" + dir.resolve("missing")))
                .migrate(Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("does not exist");

        assertThatThrownBy(() -> new Migrator(unreachable, files.settings().target("two")).migrate(Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("--target 'two'");

        assertThatThrownBy(() -> new Migrator(unreachable, files.settings().lockTimeout(Duration.ZERO)).migrate(Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("--lock-timeout");

        files.write("U1__drop_events.sql", "DROP TABLE events;");
        assertThatThrownBy(() -> new Migrator(unreachable, files.settings()).migrate(Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("U1__drop_events.sql").hasMessageContaining("forward-only");
    }

    @Test
    void aTargetNamingNoMigrationIsAConfigurationError(TestDatabase db) {
        MigrationFiles files = files().write("V1__create_events.sql", "CREATE TABLE events (id bigint);");
        assertThatThrownBy(() -> new Migrator(MigrationFiles.target(db), files.settings().target("7")).migrate(Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("--target 7 names no migration");
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
    }
}
