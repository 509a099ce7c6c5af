package io.migrationrunbook.cli;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class MigrateCommandTest {

    @TempDir
    Path dir;

    private void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    private static CliRun migrate(TestDatabase db, String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "--db-url", db.jdbcUrl(), "--db-user", db.user()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void appliesMigrationsAndPrintsTheResultAsJson(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);");
        write("V2__index_payload.sql", "CREATE INDEX CONCURRENTLY events_payload_ix ON events (payload);");

        CliRun run = migrate(db, "--locations", "filesystem:" + dir, "--lock-timeout", "1s", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.json().get("status").asText()).isEqualTo("SUCCESS");
        assertThat(run.json().get("finalVersion").asText()).isEqualTo("2");
        assertThat(run.json().get("applied")).hasSize(2);
        assertThat(run.json().get("applied").get(1).get("transactional").asBoolean()).isFalse();
        assertThat(run.err()).contains("Applying V1 \"create events\"", "lock_timeout 1.0 s", "Applied V2");

        CliRun human = migrate(db, "--locations", "filesystem:" + dir);
        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).contains("version 2 -> 2, 0 applied");
    }

    @Test
    void dryRunListsPendingMigrationsWithTheirFilesAndChangesNothing(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        write("V2__add_payload.sql", "ALTER TABLE events ADD COLUMN payload text;");

        CliRun run = migrate(db, "--locations", "filesystem:" + dir, "--dry-run", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.json().get("pending")).hasSize(2);
        assertThat(run.json().get("pending").get(0).get("file").asText()).isEqualTo(dir.resolve("V1__create_events.sql").toString());
        assertThat(run.json().get("pending").get(1).get("version").asText()).isEqualTo("2");

        CliRun human = migrate(db, "--locations", "filesystem:" + dir, "--dry-run", "--target", "1");
        assertThat(human.out()).contains("1 migration(s) would be applied", "V1  create events").doesNotContain("V2");
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("nothing created").isZero();
    }

    @Test
    void aFailedMigrationExitsOneNamingFileStatementAndSqlState(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        write("V2__broken.sql", "ALTER TABLE events ADD COLUMN payload text;\nALTER TABLE events ADD COLUMN payload text;");

        CliRun run = migrate(db, "--locations", "filesystem:" + dir, "--json");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.json().get("status").asText()).isEqualTo("FAILED");
        assertThat(run.json().get("finalVersion").asText()).isEqualTo("1");
        assertThat(run.json().get("failure").get("sqlState").asText()).isEqualTo("42701");
        assertThat(run.json().get("failure").get("file").asText()).endsWith("V2__broken.sql");
        assertThat(run.json().get("failure").get("statement").asText()).isEqualTo("ALTER TABLE events ADD COLUMN payload text");
        assertThat(run.err()).doesNotContain("Exception");
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '2'")).isZero();

        CliRun human = migrate(db, "--locations", "filesystem:" + dir);
        assertThat(human.exitCode()).isEqualTo(1);
        assertThat(human.out()).contains("Migration FAILED", "SQL_ERROR", "V2__broken.sql", "SQLSTATE 42701", "fix:");
    }

    @Test
    void anEditedAppliedMigrationIsRefusedWithExitOne(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        assertThat(migrate(db, "--locations", "filesystem:" + dir).exitCode()).isZero();
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, sneaky text);");

        CliRun dry = migrate(db, "--locations", "filesystem:" + dir, "--dry-run");
        assertThat(dry.exitCode()).isEqualTo(1);
        assertThat(dry.out()).contains("Validation FAILED");

        CliRun run = migrate(db, "--locations", "filesystem:" + dir, "--json");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.json().get("failure").get("kind").asText()).isEqualTo("VALIDATION");
        assertThat(run.json().get("failure").get("message").asText()).contains("CHECKSUM_MISMATCH");
    }

    @Test
    void aLockHeldThroughEveryRetryFailsWithExitOneAndEachRetryIsLogged(TestDatabase db) throws Exception {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        write("V2__add_payload.sql", "ALTER TABLE events ADD COLUMN payload text;");
        assertThat(migrate(db, "--locations", "filesystem:" + dir, "--target", "1").exitCode()).isZero();

        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("SELECT count(*) FROM events"); // ACCESS SHARE until rollback

            CliRun run = migrate(db, "--locations", "filesystem:" + dir, "--lock-timeout", "200ms", "--lock-retries", "2",
                    "--retry-delay", "50ms", "--json");

            holder.rollback();
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.json().get("failure").get("kind").asText()).isEqualTo("LOCK_TIMEOUT");
            assertThat(run.json().get("failure").get("retries").asInt()).isEqualTo(2);
            assertThat(run.err()).contains("Retry 1 of 2", "Retry 2 of 2", "SQLSTATE 55P03");
        }
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '2'")).isZero();
    }

    @Test
    void badInputIsAUsageErrorBeforeTouchingTheDatabase() throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigint);");
        String[] unreachable = {"migrate", "--db-url", "jdbc:postgresql://localhost:1/nowhere", "--db-user", "x", "--json"};

        CliRun missing = CliRun.of(concat(unreachable, "--locations", "filesystem:" + dir.resolve("nope")));
        assertThat(missing.exitCode()).as(missing.err()).isEqualTo(2);
        assertThat(missing.json().get("error").get("kind").asText()).isEqualTo("CONFIGURATION");
        assertThat(missing.err()).contains("does not exist");

        CliRun badTarget = CliRun.of(concat(unreachable, "--locations", "filesystem:" + dir, "--target", "v2-final"));
        assertThat(badTarget.exitCode()).isEqualTo(2);
        assertThat(badTarget.err()).contains("--target 'v2-final' is not a Flyway version");

        CliRun badTimeout = CliRun.of(concat(unreachable, "--locations", "filesystem:" + dir, "--lock-timeout", "soon"));
        assertThat(badTimeout.exitCode()).isEqualTo(2);

        write("U1__drop_events.sql", "DROP TABLE events;");
        CliRun undo = CliRun.of(concat(unreachable, "--locations", "filesystem:" + dir));
        assertThat(undo.exitCode()).isEqualTo(2);
        assertThat(undo.err()).contains("Undo migrations found", "U1__drop_events.sql");
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
