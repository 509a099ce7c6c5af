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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The point of the lock timeout: a migration whose DDL must wait behind a long transaction gives up after the lock
 * timeout (rolling back), waits, and tries again, so the writers queued behind its lock request are released within
 * one lock timeout instead of for as long as the long transaction lasts.
 *
 * <p>The writer's maximum wait is asserted below lock timeout + 1 s. That is a behavioural bound, not a speed target:
 * without a lock timeout the writer would wait as long as the holder keeps its transaction open (for ever in case B);
 * with it, the writer waits at most one lock timeout plus scheduling noise on a loaded CI machine (the margin).
 */
@ExtendWith(PostgresExtension.class)
class LockTimeoutRetryTest {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private MigrationFiles prepare(TestDatabase db) {
        MigrationFiles files = new MigrationFiles(dir)
                .write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);\n"
                        + "INSERT INTO events (payload) SELECT 'p' || g FROM generate_series(1, 100) g;")
                .write("V2__add_processed_at.sql", "ALTER TABLE events ADD COLUMN processed_at timestamptz;");
        MigrationResult first = new Migrator(MigrationFiles.target(db), files.settings().target("1")).migrate(Progress.silent());
        assertThat(first.finalVersion()).isEqualTo("1");
        return files;
    }

    private MigrationSettings settings(MigrationFiles files, int retries) {
        return files.settings().lockTimeout(LOCK_TIMEOUT).lockRetries(retries)
                .retryBaseDelay(Duration.ofMillis(200)).retryMaxDelay(Duration.ofSeconds(1));
    }

    @Test
    void migrationSucceedsOnceTheLockHolderCommitsAndWritersNeverWaitLongerThanTheLockTimeout(TestDatabase db) throws Exception {
        MigrationFiles files = prepare(db);
        DatabaseTarget target = MigrationFiles.target(db);
        List<String> progress = new CopyOnWriteArrayList<>();
        try (LockHolder holder = LockHolder.accessShare(db); Writer writer = Writer.start(db)) {
            Progress releaseAfterTwoRetries = message -> {
                progress.add(message);
                if (message.contains("Retry 2 of")) {
                    holder.commit(); // the long transaction ends while the migration backs off
                }
            };

            MigrationResult result = new Migrator(target, settings(files, 5)).migrate(releaseAfterTwoRetries);

            writer.stop();
            assertThat(result.status()).as(String.valueOf(result.failure())).isEqualTo(MigrationResult.Status.SUCCESS);
            assertThat(result.finalVersion()).isEqualTo("2");
            assertThat(result.totalRetries()).isEqualTo(2);
            assertThat(result.applied()).singleElement().satisfies(m -> {
                assertThat(m.version()).isEqualTo("2");
                assertThat(m.retries()).isEqualTo(2);
                assertThat(m.waitedMs()).isGreaterThanOrEqualTo(2 * LOCK_TIMEOUT.toMillis());
            });
            assertThat(progress).filteredOn(p -> p.contains("hit the lock timeout")).hasSize(2)
                    .allSatisfy(p -> assertThat(p).contains("V2 \"add processed at\"", "55P03", "rolled back"));
            assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' "
                    + "AND column_name = 'processed_at'")).isEqualTo(1);
            assertWritersWereReleasedWithinTheLockTimeout(writer);
        }
    }

    @Test
    void migrationFailsClearlyAfterTheRetriesWhenTheLockIsNeverReleasedAndLeavesNoHistoryRow(TestDatabase db) throws Exception {
        MigrationFiles files = prepare(db);
        List<String> progress = new CopyOnWriteArrayList<>();
        try (LockHolder holder = LockHolder.accessShare(db); Writer writer = Writer.start(db)) {

            MigrationResult result = new Migrator(MigrationFiles.target(db), settings(files, 3)).migrate(progress::add);

            writer.stop();
            assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
            assertThat(result.finalVersion()).isEqualTo("1");
            assertThat(result.applied()).isEmpty();
            MigrationFailure failure = result.failure();
            assertThat(failure.kind()).isEqualTo(MigrationFailure.Kind.LOCK_TIMEOUT);
            assertThat(failure.sqlState()).isEqualTo("55P03");
            assertThat(failure.version()).isEqualTo("2");
            assertThat(failure.file()).isEqualTo(dir.resolve("V2__add_processed_at.sql").toString());
            assertThat(failure.statement()).contains("ALTER TABLE events ADD COLUMN processed_at");
            assertThat(failure.retries()).isEqualTo(3);
            assertThat(failure.transactional()).isTrue();
            assertThat(failure.rolledBack()).isTrue();
            assertThat(failure.fix()).contains("long transaction", "pg_stat_activity", "Nothing of this migration was applied");
            assertThat(progress).filteredOn(p -> p.contains("hit the lock timeout")).hasSize(3);
            assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '2'"))
                    .as("no half-applied V2 in the schema history").isZero();
            assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE column_name = 'processed_at'")).isZero();
            assertWritersWereReleasedWithinTheLockTimeout(writer);
        }
    }

    private static void assertWritersWereReleasedWithinTheLockTimeout(Writer writer) {
        assertThat(writer.inserts()).isGreaterThan(10);
        assertThat(writer.maxWaitMs())
                .as("the writer queued behind the migration's lock request (proves the scenario bites)")
                .isGreaterThanOrEqualTo(LOCK_TIMEOUT.toMillis() / 5);
        assertThat(writer.maxWaitMs())
                .as("no writer waits longer than the lock timeout (+1 s scheduling margin)")
                .isLessThan(LOCK_TIMEOUT.toMillis() + 1000);
    }

    /** A session that opened a transaction and read the table: it holds ACCESS SHARE until it commits. */
    static final class LockHolder implements AutoCloseable {
        private final Connection connection;

        private LockHolder(Connection connection) {
            this.connection = connection;
        }

        static LockHolder accessShare(TestDatabase db) throws SQLException {
            Connection c = db.connect();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT count(*) FROM events");
            }
            return new LockHolder(c);
        }

        void commit() {
            try {
                connection.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.rollback();
            connection.close();
        }
    }

    /** Inserts into the hot table every few milliseconds and records the longest time one insert waited. */
    static final class Writer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong maxWaitNanos = new AtomicLong();
        private final AtomicInteger inserts = new AtomicInteger();
        private final Thread thread;
        private volatile Exception failure;

        private Writer(TestDatabase db) {
            thread = new Thread(() -> {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    while (running.get()) {
                        long start = System.nanoTime();
                        s.executeUpdate("INSERT INTO events (payload) VALUES ('writer')");
                        maxWaitNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        inserts.incrementAndGet();
                        Thread.sleep(10);
                    }
                } catch (Exception e) {
                    failure = e;
                }
            }, "hot-table-writer");
            thread.start();
        }

        static Writer start(TestDatabase db) {
            return new Writer(db);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            if (failure != null) {
                throw new AssertionError("the writer failed", failure);
            }
        }

        long maxWaitMs() {
            return maxWaitNanos.get() / 1_000_000;
        }

        int inserts() {
            return inserts.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
