package io.migrationrunbook.fault;

import io.migrationrunbook.backup.Backup;
import io.migrationrunbook.backup.BackupSettings;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.ConnectionLostException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.dberrors.ErrorRateSampler;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.precheck.Precheck;
import io.migrationrunbook.precheck.PrecheckSettings;
import io.migrationrunbook.rehearse.Rehearsal;
import io.migrationrunbook.rehearse.RehearsalSettings;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import io.migrationrunbook.verify.IntegrityAssertion;
import io.migrationrunbook.verify.VerificationSettings;
import io.migrationrunbook.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection lost outside a migration — while verifying, taking a snapshot, reading Flyway's history, sampling error
 * counters — is one ENVIRONMENT error everywhere ({@link DatabaseTarget#lostConnection}): the database (user@host:port/db),
 * what the runbook was doing, why the server went away, what to do; never a privileges hint. The runbook's own session is
 * ended from another session with {@code pg_terminate_backend} (SQLSTATE 57P01, deterministic, on the shared server), once
 * it is provably inside the operation (in a statement, or waiting for a lock); one test SIGKILLs a private server instead
 * (08006) and checks that a server that is then unreachable keeps the "Cannot connect" message.
 */
@ExtendWith(PostgresExtension.class)
class ConnectionLossTest {

    private static final String SLEEPING_ASSERTION = "SELECT 1 FROM (SELECT pg_sleep(120)::text AS slept) s WHERE slept = 'never'";

    @Test
    void verifyWhoseSessionIsTerminatedDuringAnIntegrityQueryNamesTheDatabaseAndWhatItWasDoing(TestDatabase db) throws Exception {
        DatabaseTarget target = target(db);
        VerificationSettings settings = VerificationSettings.none().withAssertion(IntegrityAssertion.of(SLEEPING_ASSERTION));
        CompletableFuture<Object> run = async(() -> Verifier.verify(target, settings, Progress.silent()));
        awaitRunbookSession(db, run, "state = 'active' AND query LIKE '%pg_sleep%'");
        terminateRunbookSessions(db);

        RunbookException e = failure(run);
        assertUniform(e, target, "while verifying the schema", "57P01");
        assertThat(e.getMessage()).contains("run the verification again: it only reads");
    }

    @Test
    void aSnapshotWhoseSessionIsTerminatedWhileItsRowCountWaitsForALockSaysSo(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE busy (id int)", "INSERT INTO busy VALUES (1)");
        DatabaseTarget target = target(db);
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Object> run = async(() -> SnapshotReader.read(target, SnapshotOptions.defaults().withRowCounts(true)));
            awaitRunbookSession(db, run, "wait_event_type = 'Lock'");
            terminateRunbookSessions(db);

            RunbookException e = failure(run);
            assertUniform(e, target, "while taking a schema snapshot (catalog queries and row counts)", "57P01");
            assertThat(e.getMessage()).contains("take the snapshot again");
            holder.rollback();
        }
    }

    @Test
    void migrateWhoseSessionIsTerminatedWhileReadingFlywaysHistorySaysWhatTheHistoryHolds(TestDatabase db, @TempDir Path dir)
            throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY);");
        Files.writeString(migrations.resolve("V2__add_payload.sql"), "ALTER TABLE events ADD COLUMN payload text;");
        DatabaseTarget target = target(db);
        assertThat(new Migrator(target, MigrationSettings.create().locations("filesystem:" + migrations).target("1"))
                .migrate(Progress.silent()).succeeded()).isTrue();
        // Flyway waits for the history table's lock (its lock_timeout raised so only the termination ends the wait)
        MigrationSettings settings = MigrationSettings.create().locations("filesystem:" + migrations).lockTimeout(Duration.ofMinutes(1));
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE flyway_schema_history IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Object> run = async(() -> new Migrator(target, settings).migrate(Progress.silent()));
            awaitRunbookSession(db, run, "wait_event_type = 'Lock'");
            terminateRunbookSessions(db);

            RunbookException e = failure(run);
            assertUniform(e, target, "while reading or writing Flyway's schema history (public.flyway_schema_history)", "57P01");
            assertThat(e.getMessage()).contains("runbook migrate --dry-run").contains("This run had applied no migration");
            holder.rollback();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE version = '2'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void dbErrorsWhoseSessionIsTerminatedBetweenItsTwoSamplesSaysSo(TestDatabase db) {
        DatabaseTarget target = target(db);
        // the sampler reports between its two reads of pg_stat_database: end its session right then, deterministically
        Progress terminateOnSampling = line -> terminateRunbookSessions(db);
        RunbookException e = catchRunbook(() -> new ErrorRateSampler(Clock.systemUTC()).measure(target, Duration.ofMillis(50), terminateOnSampling));
        assertThat(e).isInstanceOf(ConnectionLostException.class);
        assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT);
        assertThat(e.getMessage()).contains("Lost the connection to the database " + target.displayName())
                .contains("while sampling the database's error counters").doesNotContainIgnoringCase("privilege");
    }

    @Test
    void precheckWhoseSessionIsTerminatedWhileReadingTheHistorySaysSo(TestDatabase db, @TempDir Path dir) throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY);");
        DatabaseTarget target = target(db);
        assertThat(new Migrator(target, MigrationSettings.create().locations("filesystem:" + migrations)).migrate(Progress.silent())
                .succeeded()).isTrue();
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE flyway_schema_history IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Object> run = async(() -> Precheck.of(target, PrecheckSettings.create()
                    .migrations(MigrationSettings.create().locations("filesystem:" + migrations))).run(Progress.silent()));
            awaitRunbookSession(db, run, "wait_event_type = 'Lock'");
            terminateRunbookSessions(db);

            RunbookException e = failure(run);
            assertUniform(e, target, "while reading the server facts and the schema history for the precheck", "57P01");
            assertThat(e.getMessage()).contains("run the precheck again: it only reads");
            holder.rollback();
        }
    }

    @Test
    void aBackupWhoseRowCountSessionIsTerminatedSaysSoAndLeavesNoFile(TestDatabase db, @TempDir Path dir) throws Exception {
        db.execute("CREATE TABLE busy (id int)", "INSERT INTO busy SELECT generate_series(1, 100)");
        DatabaseTarget target = target(db);
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Object> run = async(() -> Backup.run(target, new BackupSettings().out(dir.resolve("busy.dump")), Progress.silent()));
            // the backup's own count (not pg_dump, which waits for the same lock under the same application name)
            awaitRunbookSession(db, run, "wait_event_type = 'Lock' AND query LIKE 'SELECT count(*) FROM ONLY%'");
            terminateRunbookSessions(db);

            RunbookException e = failure(run);
            assertUniform(e, target, "while counting the rows of its tables in the dump's snapshot (while pg_dump ran; pg_dump was stopped)", "57P01");
            assertThat(e.getMessage()).contains("run the backup again: the partial backup was removed");
            holder.rollback();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void aRehearsalWhoseScratchSessionIsTerminatedNamesTheScratchDatabaseAndTheMigration(TestDatabase db, @TempDir Path dir)
            throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY);");
        Files.writeString(migrations.resolve("V2__slow.sql"), "SELECT pg_sleep(120) /* rehearsal-loss */;");
        DatabaseTarget target = target(db);
        assertThat(new Migrator(target, MigrationSettings.create().locations("filesystem:" + migrations).target("1"))
                .migrate(Progress.silent()).succeeded()).isTrue();
        CompletableFuture<Object> run = async(() -> Rehearsal.of(target, RehearsalSettings.create()
                .migrations(MigrationSettings.create().locations("filesystem:" + migrations))).run(Progress.silent()));
        String sleeping = "state = 'active' AND query LIKE '%rehearsal-loss%'";
        awaitRunbookSession(db.server(), null, run, sleeping);
        String scratch;
        try (Connection c = db.server().connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname, pg_terminate_backend(pid, 30000) FROM pg_stat_activity "
                     + "WHERE application_name = 'migration-runbook' AND " + sleeping)) {
            assertThat(rs.next()).isTrue();
            scratch = rs.getString(1);
        }
        assertThat(scratch).contains("_rehearsal_");

        RunbookException e = failure(run);
        assertUniform(e, target.withDatabase(scratch), "while rehearsing V2__slow.sql on the scratch database", "57P01");
        assertThat(e.getMessage()).contains("run the rehearsal again: it never changes the target");
        assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname = '" + scratch + "'")).as("scratch dropped").isZero();
    }

    /**
     * A private server SIGKILLed while verify's integrity query runs: the same error with 08006 (the driver's I/O error),
     * and verify against the now dead server keeps the plain "Cannot connect" of a server never reached. Restarted on the
     * same data directory and port (crash recovery), verify passes again; then the server is killed while a snapshot's
     * row count waits for a locked table: the snapshot's error, 08006 too.
     */
    @Test
    void aServerKilledDuringVerifyOrSnapshotIsALostConnectionAndInBetweenCannotConnect(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        PostgresServer server = PostgresServer.startEmbedded(data, 0);
        int port = server.port();
        PostgresServer restarted = null;
        try {
            String database = server.createDatabase("killed_verify");
            DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
            VerificationSettings settings = VerificationSettings.none().withAssertion(IntegrityAssertion.of(SLEEPING_ASSERTION));
            CompletableFuture<Object> run = async(() -> Verifier.verify(target, settings, Progress.silent()));
            awaitRunbookSession(server, database, run, "state = 'active' AND query LIKE '%pg_sleep%'");
            server.kill();

            RunbookException e = failure(run);
            assertUniform(e, target, "while verifying the schema", "08");
            assertThat(e.getMessage()).contains("the server stopped, crashed or restarted, or the network failed");

            RunbookException refused = catchRunbook(() -> Verifier.verify(target, settings, Progress.silent()));
            assertThat(refused).isNotInstanceOf(ConnectionLostException.class);
            assertThat(refused.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT);
            assertThat(refused.getMessage()).startsWith("Cannot connect to " + target.displayName())
                    .contains("Check that the server is running and reachable");

            restarted = PostgresServer.startEmbedded(data, port);
            assertThat(Verifier.verify(target, VerificationSettings.none().withAssertion(IntegrityAssertion.of("SELECT 1 WHERE false")),
                    Progress.silent()).passed()).as("verify after the restart").isTrue();
            try (Connection c = restarted.connect(database); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE busy (id int)");
            }
            Connection holder = restarted.connect(database);
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<Object> snapshot = async(() -> SnapshotReader.read(target, SnapshotOptions.defaults().withRowCounts(true)));
            awaitRunbookSession(restarted, database, snapshot, "wait_event_type = 'Lock'");
            restarted.kill();

            RunbookException lost = failure(snapshot);
            assertUniform(lost, target, "while taking a schema snapshot (catalog queries and row counts)", "08");
            try {
                holder.close();
            } catch (java.sql.SQLException gone) {
                // its server was killed
            }
        } finally {
            server.close(); // no-op after kill()
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    /**
     * A server in smart shutdown (SIGTERM to the postmaster) keeps its sessions but refuses new ones with 57P03: the
     * "Cannot connect" error says it is shutting down (or starting up, or in recovery) and to wait, not to check the
     * privileges or that it runs at all.
     */
    @Test
    void aServerShuttingDownRefusesNewSessionsWith57P03AndTheErrorSaysSo(@TempDir Path dir) throws Exception {
        PostgresServer server = PostgresServer.startEmbedded(dir.resolve("pgdata"), 0);
        try {
            String database = server.createDatabase("shutting_down");
            DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
            try (Connection holder = server.connect(database)) { // keeps the smart shutdown waiting until the kill below
                long postmaster = Long.parseLong(Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0).trim());
                assertThat(ProcessHandle.of(postmaster).orElseThrow().destroy()).isTrue(); // SIGTERM: smart shutdown
                RunbookException refused = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    try {
                        io.migrationrunbook.db.ServerInfo.read(target);
                    } catch (RunbookException e) {
                        refused = e;
                        if (e.getMessage().contains("57P03")) {
                            break;
                        }
                    }
                    Thread.sleep(50); // the postmaster handles the signal asynchronously
                }
                assertThat(refused).as("a refused connection").isNotNull();
                assertThat(refused).isNotInstanceOf(ConnectionLostException.class);
                assertThat(refused.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT);
                assertThat(refused.getMessage()).startsWith("Cannot connect to " + target.displayName() + " (SQLSTATE 57P03")
                        .contains("it is starting up, shutting down or in recovery")
                        .contains("Wait until it accepts connections again (pg_isready -h " + target.host() + " -p " + target.port() + ")")
                        .doesNotContainIgnoringCase("privilege");
                System.out.println("reported: " + refused.getMessage());
                try (Statement s = holder.createStatement()) {
                    s.execute("SELECT 1"); // the existing session still works
                }
                server.kill();
            }
        } catch (java.sql.SQLException closingAKilledSession) {
            // the holder's close after the kill
        } finally {
            server.close(); // no-op after kill()
        }
    }

    private static void assertUniform(RunbookException e, DatabaseTarget target, String doing, String sqlStatePrefix) {
        assertThat(e).as(String.valueOf(e)).isInstanceOf(ConnectionLostException.class);
        assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT);
        assertThat(((ConnectionLostException) e).sqlState()).startsWith(sqlStatePrefix);
        assertThat(e.getMessage())
                .startsWith("Lost the connection to the database " + target.displayName() + " " + doing + " (SQLSTATE " + sqlStatePrefix)
                .contains("Check that the server is up and accepts connections (pg_isready -h " + target.host() + " -p " + target.port() + ")")
                .doesNotContainIgnoringCase("privilege");
        System.out.println("reported: " + e.getMessage());
    }

    private static CompletableFuture<Object> async(Supplier<Object> operation) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return operation.get();
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    private static RunbookException failure(CompletableFuture<Object> run) throws Exception {
        Object outcome = run.get(60, TimeUnit.SECONDS);
        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(RunbookException.class);
        return (RunbookException) outcome;
    }

    private static RunbookException catchRunbook(Runnable operation) {
        try {
            operation.run();
        } catch (RunbookException e) {
            return e;
        }
        throw new AssertionError("expected a RunbookException");
    }

    private static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.user(), Secret.of(db.password()));
    }

    private static void awaitRunbookSession(TestDatabase db, CompletableFuture<Object> run, String condition) throws Exception {
        awaitRunbookSession(db.server(), db.name(), run, condition);
    }

    /** Polls (generous deadline: a loaded machine) until a runbook session of the database (null: any) matches the condition. */
    static void awaitRunbookSession(PostgresServer server, String database, CompletableFuture<?> run, String condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = server.connect("postgres"); PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE (datname = ? OR ?::text IS NULL) AND application_name = 'migration-runbook' AND " + condition)) {
            p.setString(1, database);
            p.setString(2, database);
            while (System.nanoTime() < deadline) {
                if (run.isDone()) {
                    throw new AssertionError("the operation ended before its session could be ended: " + run.get());
                }
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no runbook session of " + database + " matched " + condition + " within 60 s");
    }

    /** pg_terminate_backend of every runbook session of the database, waiting (up to 30 s each) until they are gone. */
    static void terminateRunbookSessions(TestDatabase db) {
        try (Connection c = db.server().connect("postgres"); PreparedStatement p = c.prepareStatement("SELECT count(*) FILTER "
                + "(WHERE pg_terminate_backend(pid, 30000)) FROM pg_stat_activity WHERE datname = ? AND application_name = 'migration-runbook'")) {
            p.setString(1, db.name());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("runbook sessions terminated").isPositive();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
