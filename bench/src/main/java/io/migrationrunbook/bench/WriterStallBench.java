package io.migrationrunbook.bench;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writer stall under lock contention. A session opens a transaction, reads the hot table (ACCESS SHARE) and keeps the
 * transaction open for {@code --hold-seconds} (default 30); {@code --writers} (default 4) sessions insert continuously
 * and time every insert; 0.5 s in, a migration that needs ACCESS EXCLUSIVE ({@code ALTER TABLE ... ADD COLUMN}) starts,
 * (a) with plain Flyway migrate (defaults: no lock timeout), (b) with the runbook's {@link Migrator} (lock timeout 2 s,
 * retries with backoff). A waiting ACCESS EXCLUSIVE request queues every later writer behind it: the figure is how long.
 */
public final class WriterStallBench {

    private WriterStallBench() {
    }

    interface Migration {
        String run(DatabaseTarget target, String location) throws Exception;
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) throws Exception {
        int holdSeconds = options.integer("hold-seconds", 30, 10);
        int writers = options.integer("writers", 4, 4);
        Duration lockTimeout = MigrationSettings.DEFAULT_LOCK_TIMEOUT;
        PostgresServer server = environment.postgres();
        Path dir = Files.createTempDirectory("bench-stall");
        Files.writeString(dir.resolve("V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);\n"
                + "INSERT INTO events (payload) SELECT md5(g::text) FROM generate_series(1, 100000) g;");
        Files.writeString(dir.resolve("V2__add_processed_at.sql"), "ALTER TABLE events ADD COLUMN processed_at timestamptz;");
        String location = "filesystem:" + dir;

        Table table = new Table("migration", "writer max stall", "writer p99 stall", "inserts", "inserts > lock timeout + 250 ms",
                "time stalled per writer (inserts > 100 ms)", "migration wall time", "outcome");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("holdSeconds", holdSeconds);
        json.put("writers", writers);
        json.put("lockTimeoutMs", lockTimeout.toMillis());
        Map<String, Object> plain = measure(server, location, holdSeconds, writers, lockTimeout, table, "(a) plain Flyway migrate (defaults)",
                (target, loc) -> {
                    Flyway.configure().dataSource(target.jdbcUrl(), target.user(), server.password()).locations(loc).load().migrate();
                    return "applied";
                });
        json.put("plainFlyway", plain);
        Map<String, Object> runbook = measure(server, location, holdSeconds, writers, lockTimeout, table,
                "(b) runbook migrate (lock timeout " + Progress.format(lockTimeout) + ", retries)", (target, loc) -> {
                    MigrationResult result = new Migrator(target, MigrationSettings.create().locations(loc).lockTimeout(lockTimeout)
                            .lockRetries(10)).migrate(Progress.silent());
                    return (result.succeeded() ? "applied" : "FAILED " + result.failure().kind()) + " after " + result.totalRetries()
                            + " lock-timeout retries";
                });
        json.put("runbookMigrate", runbook);
        table.note("lock held for %d s by a reading transaction; %d writers insert continuously (1 ms pause); p99 is over inserts, "
                + "so a writer blocked for 30 s counts once: read max and time stalled; target for (b): max stall under the lock "
                + "timeout + 250 ms = %d ms", holdSeconds, writers, lockTimeout.toMillis() + 250);
        table.print();
        return json;
    }

    private static Map<String, Object> measure(PostgresServer server, String location, int holdSeconds, int writerCount,
                                               Duration lockTimeout, Table table, String label, Migration migration) throws Exception {
        String database = server.createDatabase("bench_stall");
        DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
        try {
            Flyway.configure().dataSource(target.jdbcUrl(), target.user(), server.password()).locations(location).target("1").load().migrate();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Long> stallsMs = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < writerCount; w++) {
                Thread writer = new Thread(() -> {
                    try (Connection c = server.connect(database); Statement s = c.createStatement()) {
                        List<Long> mine = new ArrayList<>();
                        while (running.get()) {
                            long start = System.nanoTime();
                            s.executeUpdate("INSERT INTO events (payload) VALUES ('writer')");
                            mine.add((System.nanoTime() - start) / 1_000_000);
                            Thread.sleep(1);
                        }
                        synchronized (stallsMs) {
                            stallsMs.addAll(mine);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "writer-" + w);
                writers.add(writer);
            }
            String outcome;
            long wallMs;
            try {
                try (Connection holder = server.connect(database); Statement s = holder.createStatement()) {
                    holder.setAutoCommit(false);
                    s.execute("SELECT count(*) FROM events");
                    long heldAt = System.nanoTime();
                    writers.forEach(Thread::start);
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
                    outcome = migration.run(target, location);
                    wallMs = (System.nanoTime() - start) / 1_000_000;
                    release.join();
                }
                Thread.sleep(300);
            } finally {
                running.set(false);
                for (Thread writer : writers) {
                    writer.join();
                }
            }
            long max = Stats.max(stallsMs);
            long p99 = Stats.percentile(stallsMs, 99);
            long overTarget = stallsMs.stream().filter(ms -> ms > lockTimeout.toMillis() + 250).count();
            long stalledPerWriter = stallsMs.stream().filter(ms -> ms > 100).mapToLong(Long::longValue).sum() / writerCount;
            table.row(label, max + " ms", p99 + " ms", stallsMs.size(), overTarget, stalledPerWriter + " ms", wallMs + " ms", outcome);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("maxStallMs", max);
            figures.put("p99StallMs", p99);
            figures.put("inserts", stallsMs.size());
            figures.put("insertsOverTarget", overTarget);
            figures.put("stalledPerWriterMs", stalledPerWriter);
            figures.put("migrationMs", wallMs);
            figures.put("outcome", outcome);
            return figures;
        } finally {
            server.dropDatabase(database);
        }
    }
}
