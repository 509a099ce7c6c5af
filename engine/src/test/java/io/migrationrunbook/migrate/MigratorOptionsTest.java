package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class MigratorOptionsTest {

    @TempDir
    Path dir;

    @Test
    void classpathAndSeveralFilesystemLocationsAreMergedInVersionOrder(TestDatabase db) throws Exception {
        Path second = Files.createDirectory(dir.resolve("second"));
        MigrationFiles files = new MigrationFiles(Files.createDirectory(dir.resolve("first")))
                .write("V3__more.sql", "CREATE TABLE more_events (id bigint);");
        Files.writeString(second.resolve("V2__other.sql"), "CREATE TABLE other_events (id bigint);");

        MigrationResult result = new Migrator(MigrationFiles.target(db), MigrationSettings.create()
                .locations("classpath:db/runbook-test-migrations", files.location(), "filesystem:" + second)).migrate(Progress.silent());

        assertThat(result.succeeded()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.applied()).extracting(AppliedMigration::script)
                .containsExactly("V1__classpath_events.sql", "V2__other.sql", "V3__more.sql");
    }

    @Test
    void aMissingClasspathLocationIsAConfigurationErrorNamingTheFilesystemAlternative() {
        DatabaseTarget unreachable = new DatabaseTarget("jdbc:postgresql://localhost:1/nowhere", "x", null);
        assertThatThrownBy(() -> new Migrator(unreachable, MigrationSettings.create().locations("db/nowhere")).migrate(Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("not on the classpath").hasMessageContaining("filesystem:db/nowhere");
    }

    @Test
    void schemasAndTableOptionsPlaceTheHistoryAndScopeTheInvalidIndexCheck(TestDatabase db) {
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, email text);\n"
                        + "INSERT INTO users (email) VALUES ('a'), ('a');")
                .write("V2__unique_email.sql", "CREATE UNIQUE INDEX CONCURRENTLY users_email_ux ON users (email);");

        MigrationResult result = new Migrator(MigrationFiles.target(db), files.settings().schemas("app").table("schema_versions"))
                .migrate(Progress.silent());

        assertThat(result.schemas()).containsExactly("app");
        assertThat(db.queryLong("SELECT count(*) FROM app.schema_versions WHERE version = '1' AND success")).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'users' AND schemaname = 'app'")).isEqualTo(1);
        assertThat(result.invalidIndexes()).singleElement().satisfies(ix -> assertThat(ix.schema()).isEqualTo("app"));
        assertThat(result.failure().fix()).contains("DROP INDEX CONCURRENTLY app.users_email_ux", "DELETE FROM app.schema_versions WHERE NOT success");
    }

    @Test
    void aNonTransactionalMigrationThatHitsTheLockTimeoutIsReportedNotRetried(TestDatabase db) throws Exception {
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);")
                .write("V2__index_payload.sql", "CREATE INDEX CONCURRENTLY events_payload_ix ON events (payload);");
        DatabaseTarget target = MigrationFiles.target(db);
        assertThat(new Migrator(target, files.settings().target("1")).migrate(Progress.silent()).succeeded()).isTrue();
        List<String> progress = new ArrayList<>();

        // an open writing transaction: CREATE INDEX CONCURRENTLY must wait for it, after its catalog entry exists
        try (Connection writer = db.connect(); Statement s = writer.createStatement()) {
            writer.setAutoCommit(false);
            s.executeUpdate("INSERT INTO events (payload) VALUES ('in flight')");

            MigrationResult result = new Migrator(target, files.settings().lockTimeout(Duration.ofMillis(300)).lockRetries(3)
                    .retryBaseDelay(Duration.ofMillis(50))).migrate(progress::add);

            writer.rollback();
            assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
            MigrationFailure failure = result.failure();
            assertThat(failure.kind()).isEqualTo(MigrationFailure.Kind.LOCK_TIMEOUT);
            assertThat(failure.sqlState()).isEqualTo("55P03");
            assertThat(failure.transactional()).isFalse();
            assertThat(failure.retries()).as("not retried: it may have partly run").isZero();
            assertThat(failure.fix()).contains("outside a transaction", "DROP INDEX CONCURRENTLY public.events_payload_ix");
            assertThat(progress).noneMatch(p -> p.contains("Retry 1"));
            assertThat(result.invalidIndexes()).extracting(InvalidIndex::index).containsExactly("events_payload_ix");
        }
    }

    @Test
    void aStatementTimeoutFailsTheMigrationWithoutRetryAndNamesTheOption(TestDatabase db) {
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_events.sql", "CREATE TABLE events (id bigint);")
                .write("V2__slow_backfill.sql", "INSERT INTO events SELECT g FROM generate_series(1, 10) g, pg_sleep(2);");

        MigrationResult result = new Migrator(MigrationFiles.target(db), files.settings().statementTimeout(Duration.ofMillis(300)))
                .migrate(Progress.silent());

        assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
        MigrationFailure failure = result.failure();
        assertThat(failure.kind()).isEqualTo(MigrationFailure.Kind.STATEMENT_TIMEOUT);
        assertThat(failure.sqlState()).isEqualTo("57014");
        assertThat(failure.retries()).isZero();
        assertThat(failure.rolledBack()).isTrue();
        assertThat(failure.fix()).contains("--statement-timeout", "Nothing of this migration was applied");
        assertThat(db.queryLong("SELECT count(*) FROM events")).isZero();
    }
}
