package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.embedded.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long writers stall on a hot table while a long transaction holds a lock on it and a migration wants ACCESS
 * EXCLUSIVE: plain Flyway (defaults: no lock timeout) against {@link Migrator} (lock timeout + retry). Prints figures,
 * asserts nothing. Run with:
 * {@code mvn -B -q -pl engine -am test -Dtest=WriterStallBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true
 * [-Dbench.holdSeconds=5]} and read engine/target/surefire-reports/*WriterStallBenchmark-output.txt.
 *
 * <p>Scenario: a session opens a transaction and reads the table (ACCESS SHARE) and keeps it open for
 * {@code holdSeconds}; a writer inserts a row every 10 ms and times each insert; 0.5 s in, the migration
 * {@code ALTER TABLE events ADD COLUMN ...} starts.
 */
@ExtendWith(PostgresExtension.class)
@EnabledIfSystemProperty(named = "bench", matches = "true", disabledReason = "benchmark: run with -Dbench=true")
class WriterStallBenchmark {

    @TempDir
    Path dir;

    @Test
    void writerStallPlainFlywayVersusRunbookMigrate(PostgresServer server) throws Exception {
        int holdSeconds = Integer.getInteger("bench.holdSeconds", 5);
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);\n"
                        + "INSERT INTO events (payload) SELECT md5(g::text) FROM generate_series(1, 100000) g;")
                .write("V2__add_processed_at.sql", "ALTER TABLE events ADD COLUMN processed_at timestamptz;");
        List<String> rows = new ArrayList<>();

        rows.add(run(server, "plain Flyway migrate (defaults)", holdSeconds, files, db -> {
            Flyway flyway = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                    .locations(files.location()).load();
            flyway.migrate();
            return "applied, 0 retries";
        }));
        for (Duration lockTimeout : List.of(MigrationSettings.DEFAULT_LOCK_TIMEOUT, Duration.ofMillis(500))) {
            rows.add(run(server, "runbook migrate, lock timeout " + Progress.format(lockTimeout), holdSeconds, files, db -> {
                MigrationResult result = new Migrator(MigrationFiles.target(db), files.settings().lockTimeout(lockTimeout).lockRetries(10))
                        .migrate(Progress.silent());
                return (result.succeeded() ? "applied" : "FAILED " + result.failure().kind()) + ", " + result.totalRetries()
                        + (result.totalRetries() == 1 ? " retry" : " retries");
            }));
        }

        System.out.printf("%nlock held for %d s; writer inserts every 10 ms%n", holdSeconds);
        System.out.println("| migration | writer max stall | inserts > 100 ms | writer time stalled | migration wall time | outcome |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    interface Migration {
        String run(TestDatabase db) throws Exception;
    }

    private String run(PostgresServer server, String label, int holdSeconds, MigrationFiles files, Migration migration) throws Exception {
        TestDatabase db = new TestDatabase(server, server.createDatabase("stall"));
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations(files.location()).target("1").load().migrate();

        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> waitsNanos = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                while (running.get()) {
                    long start = System.nanoTime();
                    s.executeUpdate("INSERT INTO events (payload) VALUES ('writer')");
                    synchronized (waitsNanos) {
                        waitsNanos.add(System.nanoTime() - start);
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer");

        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("SELECT count(*) FROM events");
            long heldAt = System.nanoTime();
            writer.start();
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(Math.max(0, holdSeconds * 1000L - (System.nanoTime() - heldAt) / 1_000_000));
                    holder.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "holder-release");
            release.start();
            Thread.sleep(500);
            long start = System.nanoTime();
            String outcome = migration.run(db);
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            release.join();
            Thread.sleep(300);
            running.set(false);
            writer.join();
            long max;
            long stalled;
            long stalledMs;
            synchronized (waitsNanos) {
                max = waitsNanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
                stalled = waitsNanos.stream().filter(w -> w > 100_000_000L).count();
                stalledMs = waitsNanos.stream().filter(w -> w > 100_000_000L).mapToLong(Long::longValue).sum() / 1_000_000;
            }
            return String.format("| %s | %d ms | %d | %d ms | %d ms | %s |", label, max, stalled, stalledMs, wallMs, outcome);
        }
    }
}
