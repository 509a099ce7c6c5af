package io.migrationrunbook.fault;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.migrate.MigrationFailure;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault: PostgreSQL stopped hard (postmaster and backends SIGKILLed, harder than {@code pg_ctl stop -m immediate}) while a
 * transactional migration runs. The run fails clearly; after a restart on the same data directory the schema history
 * holds no half-applied migration (neither a row nor its DDL) and a rerun completes.
 *
 * <p>Uses a private embedded server (the shared one must survive), so it costs one extra server start and a restart.
 */
class PostgresCrashMidMigrationTest {

    @TempDir
    Path dir;

    @Test
    void serverKilledDuringAMigrationLeavesNoHalfAppliedMigrationAndARerunCompletes() throws Exception {
        Path data = dir.resolve("pgdata");
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);\n"
                + "INSERT INTO events (payload) SELECT md5(g::text) FROM generate_series(1, 1000) g;");
        // V2 changes the schema, then runs long enough for the crash to hit it half-way.
        Files.writeString(migrations.resolve("V2__add_processed_at.sql"), "ALTER TABLE events ADD COLUMN processed_at timestamptz;\n"
                + "SELECT pg_sleep(CASE WHEN EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'crash_done') THEN 0 ELSE 60 END);");

        PostgresServer server = PostgresServer.startEmbedded(data, 0);
        int port = server.port();
        String database = server.createDatabase("crash");
        DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
        MigrationSettings settings = MigrationSettings.create().locations("filesystem:" + migrations);
        List<String> progress = new ArrayList<>();
        // V1 first, made durable: the embedded server runs with synchronous_commit=off, under which a commit from the last
        // few hundred milliseconds may be lost in a crash (a test-server setting, not what production runs).
        assertThat(new Migrator(target, MigrationSettings.create().locations("filesystem:" + migrations).target("1"))
                .migrate(Progress.silent()).succeeded()).isTrue();
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }

        CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new Migrator(target, settings).migrate(line -> {
                    synchronized (progress) {
                        progress.add(line);
                    }
                });
            } catch (RuntimeException e) {
                return e;
            }
        });
        awaitSleepingMigration(server, database);
        server.kill(); // SIGKILL to the postmaster and every backend

        Object outcome = run.get(30, TimeUnit.SECONDS);
        // A FAILED result, not an exception: the migration was interrupted, and the result says which one, that the server
        // went away (not that the SQL is wrong) and that nothing of it remains — without asking the server, which is gone.
        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(MigrationResult.class);
        MigrationResult result = (MigrationResult) outcome;
        assertThat(result.succeeded()).isFalse();
        assertThat(result.finalVersion()).isEqualTo("1");
        MigrationFailure failure = result.failure();
        assertThat(failure.kind()).isEqualTo(MigrationFailure.Kind.CONNECTION_LOST);
        assertThat(failure.version()).isEqualTo("2");
        assertThat(failure.rolledBack()).isTrue();
        assertThat(failure.message()).contains("Lost the connection to the database").contains("localhost:" + port)
                .contains("V2__add_processed_at.sql").contains("nothing of it was applied");
        assertThat(failure.fix()).contains("Nothing is wrong with the migration").contains("runbook migrate --dry-run");
        System.out.println("failure reported: " + failure.message() + " / " + failure.fix());

        PostgresServer restarted = PostgresServer.startEmbedded(data, port);
        try {
            try (Connection c = restarted.connect(database); Statement s = c.createStatement()) {
                assertThat(versions(s)).containsExactly("1:true");
                // the DDL of the interrupted migration rolled back with its transaction
                assertThat(count(s, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' "
                        + "AND column_name = 'processed_at'")).isZero();
                assertThat(count(s, "SELECT count(*) FROM events")).isEqualTo(1000);
                s.execute("CREATE TABLE crash_done ()"); // the rerun's V2 does not sleep
            }
            DatabaseTarget again = new DatabaseTarget(restarted.jdbcUrl(database), restarted.user(), Secret.of(restarted.password()));
            MigrationResult rerun = new Migrator(again, settings).migrate(Progress.silent());
            assertThat(rerun.succeeded()).as(String.valueOf(rerun.failure())).isTrue();
            assertThat(rerun.finalVersion()).isEqualTo("2");
            try (Connection c = restarted.connect(database); Statement s = c.createStatement()) {
                assertThat(versions(s)).containsExactly("1:true", "2:true");
            }
        } finally {
            restarted.close();
        }
    }

    private static void awaitSleepingMigration(PostgresServer server, String database) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the migration never reached its pg_sleep");
    }

    private static List<String> versions(Statement s) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getBoolean(2));
            }
        }
        return rows;
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
