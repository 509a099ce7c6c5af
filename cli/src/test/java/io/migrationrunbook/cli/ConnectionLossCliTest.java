package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `runbook verify` and `runbook snapshot` whose session is ended by the server mid-operation ({@code pg_terminate_backend}
 * from another session, SQLSTATE 57P01): exit 3, one line naming the database, what was being done, why and what to do,
 * no stack trace, no privileges hint; with --json the error object. A server never reached keeps its "Cannot connect".
 */
@ExtendWith(PostgresExtension.class)
class ConnectionLossCliTest {

    @Test
    void verifyWhoseSessionIsTerminatedDuringAnIntegrityQueryExits3SayingWhatItWasDoing(TestDatabase db) throws Exception {
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> run(db, "verify", "--json",
                "--assert", "SELECT 1 FROM (SELECT pg_sleep(120)::text AS slept) s WHERE slept = 'never'"));
        awaitRunbookSession(db, run, "state = 'active' AND query LIKE '%pg_sleep%'");
        terminateRunbookSessions(db);
        CliRun verify = run.get(60, TimeUnit.SECONDS);

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(3);
        String where = db.user() + "@localhost:" + db.server().port() + "/" + db.name();
        assertThat(verify.err()).contains("error: Lost the connection to the database " + where + " while verifying the schema "
                        + "(SQLSTATE 57P01").contains("pg_isready").contains("run the verification again")
                .doesNotContainIgnoringCase("privilege").doesNotContain("\tat ");
        JsonNode error = verify.json().get("error");
        assertThat(error.get("kind").asText()).isEqualTo("ENVIRONMENT");
        assertThat(error.get("message").asText()).startsWith("Lost the connection to the database " + where);
    }

    @Test
    void snapshotWhoseSessionIsTerminatedWhileCountingRowsExits3AndWritesNoFile(TestDatabase db, @TempDir Path dir) throws Exception {
        db.execute("CREATE TABLE busy (id int)");
        Path out = dir.resolve("snapshot.json");
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> run(db, "snapshot", "--out", out.toString(), "--with-row-counts"));
            awaitRunbookSession(db, run, "wait_event_type = 'Lock'");
            terminateRunbookSessions(db);
            CliRun snapshot = run.get(60, TimeUnit.SECONDS);

            assertThat(snapshot.exitCode()).as(snapshot.out() + snapshot.err()).isEqualTo(3);
            assertThat(snapshot.err()).contains("error: Lost the connection to the database " + db.user() + "@localhost:" + db.server().port()
                    + "/" + db.name() + " while taking a schema snapshot").contains("take the snapshot again")
                    .doesNotContainIgnoringCase("privilege").doesNotContain("\tat ");
            assertThat(Files.exists(out)).isFalse();
            holder.rollback();
        }
    }

    @Test
    void aServerNeverReachedKeepsCannotConnectAndExit3(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        CliRun verify = CliRun.of("verify", "--db-url", "jdbc:postgresql://localhost:" + port + "/app", "--db-user", "app",
                "--assert", "SELECT 1 WHERE false");
        assertThat(verify.exitCode()).isEqualTo(3);
        assertThat(verify.err()).contains("error: Cannot connect to app@localhost:" + port + "/app")
                .contains("Check that the server is running and reachable").doesNotContain("Lost the connection");
    }

    private static CliRun run(TestDatabase db, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db-url";
        all[args.length + 1] = db.jdbcUrl();
        all[args.length + 2] = "--db-user";
        all[args.length + 3] = db.user();
        return CliRun.of(all);
    }

    /** Polls (generous deadline: a loaded machine) until a runbook session of the database matches the condition. */
    private static void awaitRunbookSession(TestDatabase db, CompletableFuture<CliRun> run, String condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = db.server().connect("postgres"); PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = ? AND application_name = 'migration-runbook' AND " + condition)) {
            p.setString(1, db.name());
            while (System.nanoTime() < deadline) {
                if (run.isDone()) {
                    CliRun ended = run.get();
                    throw new AssertionError("the command ended before its session could be ended: exit " + ended.exitCode() + "\n"
                            + ended.out() + ended.err());
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
        throw new AssertionError("no runbook session of " + db.name() + " matched " + condition + " within 60 s");
    }

    private static void terminateRunbookSessions(TestDatabase db) throws Exception {
        try (Connection c = db.server().connect("postgres"); PreparedStatement p = c.prepareStatement("SELECT count(*) FILTER "
                + "(WHERE pg_terminate_backend(pid, 30000)) FROM pg_stat_activity WHERE datname = ? AND application_name = 'migration-runbook'")) {
            p.setString(1, db.name());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("runbook sessions terminated").isPositive();
            }
        }
    }
}
