package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.embedded.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `runbook migrate` when the server is killed (SIGKILL to the postmaster and every backend) in the middle of a migration:
 * exit 3 — an environment error, like an unreachable server — with the whole result printed: kind CONNECTION_LOST, the
 * interrupted migration, rolled back, the version before it. (Restart and rerun: engine's PostgresCrashMidMigrationTest;
 * under `runbook run`: PostgresCrashUnderRunTest.) A private server: the shared one must survive.
 */
class MigrateCommandCrashTest {

    @Test
    void aServerKilledMidMigrationIsExit3WithTheInterruptedMigrationInTheResult(@TempDir Path dir) throws Exception {
        PostgresServer server = PostgresServer.startEmbedded(dir.resolve("pgdata"), 0);
        try {
            String database = server.createDatabase("migrate_crash");
            Path migrations = Files.createDirectories(dir.resolve("migrations"));
            Files.writeString(migrations.resolve("V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);");
            Files.writeString(migrations.resolve("V2__add_processed_at.sql"),
                    "ALTER TABLE events ADD COLUMN processed_at timestamptz;\nSELECT pg_sleep(300);");
            String[] common = {"migrate", "--db-url", server.jdbcUrl(database), "--db-user", server.user(),
                    "--locations", "filesystem:" + migrations, "--json"};
            CliRun first = CliRun.of(concat(common, "--target", "1"));
            assertThat(first.exitCode()).as(first.err()).isZero();

            CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(common));
            awaitSleepingMigration(run, server, database);
            server.kill();
            CliRun crashed = run.get(120, TimeUnit.SECONDS);

            assertThat(crashed.exitCode()).as(crashed.err() + crashed.out()).isEqualTo(3);
            JsonNode result = crashed.json();
            assertThat(result.get("status").asText()).isEqualTo("FAILED");
            assertThat(result.get("finalVersion").asText()).isEqualTo("1");
            JsonNode failure = result.get("failure");
            assertThat(failure.get("kind").asText()).isEqualTo("CONNECTION_LOST");
            assertThat(failure.get("version").asText()).isEqualTo("2");
            assertThat(failure.get("rolledBack").asBoolean()).isTrue();
            assertThat(failure.get("message").asText()).contains("Lost the connection to the database")
                    .contains("localhost:" + server.port()).contains("V2__add_processed_at.sql");
            assertThat(crashed.err()).doesNotContain("\tat ");
        } finally {
            server.close();
        }
    }

    private static void awaitSleepingMigration(CompletableFuture<CliRun> run, PostgresServer server, String database) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                if (run.isDone()) {
                    CliRun ended = run.get();
                    throw new AssertionError("migrate ended before the server could be killed: exit " + ended.exitCode() + "\n"
                            + ended.out() + ended.err());
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the migration never reached its pg_sleep within 120 s");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
