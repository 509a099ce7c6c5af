package io.migrationrunbook.backup;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What must never happen: a password in pg_dump's arguments, a partial file left behind, someone else's file deleted. */
@ExtendWith(PostgresExtension.class)
class BackupSafetyTest {

    @TempDir
    Path dir;

    /** Holds ACCESS EXCLUSIVE on a table so that pg_dump (and the row count) wait for it: a pg_dump we can look at. */
    private static Connection lock(TestDatabase db, String table) throws Exception {
        Connection holder = db.connect();
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return holder;
    }

    /** The pg_dump child of this JVM, as seen in /proc (waits until it appears). */
    private static long awaitPgDump() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = ProcessHandle.current().children()
                    .filter(p -> procText(p.pid(), "cmdline").contains("pg_dump") && procText(p.pid(), "cmdline").contains("--file="))
                    .findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("pg_dump did not start within 20 s");
    }

    private static String procText(long pid, String file) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void thePasswordNeverAppearsInPgDumpsArgumentsOrEnvironmentAndThePassfileIsDeleted(TestDatabase db) throws Exception {
        String role = "rb_pw_" + ProcessHandle.current().pid() + "_" + UUID.randomUUID().toString().substring(0, 6);
        String password = "pw-" + UUID.randomUUID();
        db.execute("CREATE ROLE " + role + " WITH LOGIN SUPERUSER PASSWORD '" + password + "'",
                "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)");
        DatabaseTarget target = new DatabaseTarget(db.jdbcUrl(), role, Secret.of(password));

        try (Connection holder = lock(db, "t")) {
            CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(
                    () -> Backup.run(target, new BackupSettings().out(dir.resolve("t.dump")), Progress.silent()));
            long pid = awaitPgDump();
            String cmdline = procText(pid, "cmdline");
            String environ = procText(pid, "environ");
            assertThat(cmdline).contains("--snapshot=").doesNotContain(password);
            assertThat(environ).doesNotContain(password).doesNotContain("PGPASSWORD=").contains("PGUSER=" + role);
            Path passfile = Path.of(environ.replaceAll("(?s).*PGPASSFILE=(\\S+).*", "$1"));
            assertThat(passfile).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passfile))).isEqualTo("rw-------");

            holder.commit();
            BackupResult result = backup.get(60, TimeUnit.SECONDS);

            assertThat(result.verified()).isTrue();
            assertThat(passfile).doesNotExist();
            assertThat(Files.readString(Path.of(result.metadataFile()))).doesNotContain(password);
        } finally {
            db.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void aPgDumpThatFailsLeavesNoPartialFileAndItsErrorIsReported(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE busy (id int)", "INSERT INTO busy SELECT generate_series(1, 100)");

        try (Connection holder = lock(db, "busy")) {
            assertThatThrownBy(() -> Backup.run(BackupRestoreTest.target(db),
                    new BackupSettings().out(dir.resolve("busy.dump")).lockWaitTimeout(Duration.ofMillis(300)), Progress.silent()))
                    .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                    .hasMessageContaining("pg_dump exited with code 1")
                    .hasMessageContaining("the partial backup was removed")
                    // pg_dump's "LOCK TABLE public.busy" or, when the row count's lock timeout ended the snapshot before
                    // pg_dump imported it (a loaded machine), the count's error naming the table: either way the table
                    .hasMessageContaining("public.busy")
                    .hasMessageContaining("--lock-wait-timeout");
            holder.rollback();
        }
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void aTableTheRoleMayNotReadIsNamedWithItsSqlStateAndTheFixNotHiddenBehindPgDumpsSnapshotError(TestDatabase db) throws Exception {
        String role = "rb_limited_" + ProcessHandle.current().pid() + "_" + UUID.randomUUID().toString().substring(0, 6);
        String password = "pw-" + UUID.randomUUID();
        db.execute("CREATE TABLE accounts (id int)", "INSERT INTO accounts VALUES (1)",
                "CREATE TABLE payroll (id bigint PRIMARY KEY, salary numeric)",
                "INSERT INTO payroll SELECT g, g FROM generate_series(1, 1000) g",
                "CREATE ROLE " + role + " WITH LOGIN PASSWORD '" + password + "'",
                "GRANT USAGE ON SCHEMA public TO " + role, "GRANT SELECT ON accounts TO " + role);
        try {
            DatabaseTarget limited = new DatabaseTarget(db.jdbcUrl(), role, Secret.of(password));
            assertThatThrownBy(() -> Backup.run(limited, new BackupSettings().out(dir.resolve("limited.dump")), Progress.silent()))
                    .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                    .hasMessageContaining("public.payroll")
                    .hasMessageContaining("SQLSTATE 42501")
                    .hasMessageContaining("grant SELECT on every table")
                    .hasMessageContaining("pg_read_all_data")
                    .hasMessageContaining("the partial backup was removed")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password)
                            // the snapshot error may be quoted, but only after the cause, never instead of it
                            .matches("(?s)^(The backup failed: counting the rows of public\\.payroll|pg_dump exited).*"));
        } finally {
            db.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void aPgDumpThatLostItsSnapshotToTheFailedRowCountIsReportedAsTheCountsError() throws Exception {
        java.sql.SQLException denied = new java.sql.SQLException("ERROR: permission denied for table payroll", "42501");
        DatabaseFacts.RowCountFailed failed = new DatabaseFacts.RowCountFailed(new DatabaseFacts.Table("public", "payroll", true), denied);
        String lost = "pg_dump: error: query failed: ERROR:  could not import the requested snapshot\n"
                + "DETAIL:  The source transaction 1234 is not running anymore.";

        RunbookException causeFirst = Backup.rowCountFailed(failed, "app", 1, lost);
        assertThat(causeFirst.getMessage())
                .startsWith("The backup failed: counting the rows of public.payroll in the dump's snapshot failed: "
                        + "ERROR: permission denied for table payroll (SQLSTATE 42501). The role app may not read public.payroll: "
                        + "grant SELECT on every table")
                .contains("pg_dump exited with code 1 because that error ended the snapshot it imports (pg_dump said: " + lost + ")")
                .endsWith("; the partial backup was removed.");
        assertThat(causeFirst.getCause()).isSameAs(failed);

        RunbookException ownError = Backup.rowCountFailed(failed, "app", 1,
                "pg_dump: error: query failed: ERROR:  permission denied for table payroll");
        assertThat(ownError.getMessage()).startsWith("pg_dump exited with code 1; the partial backup was removed. pg_dump said:")
                .contains("Also, counting the rows of public.payroll in the dump's snapshot failed")
                .contains("(SQLSTATE 42501)").contains("grant SELECT on every table");

        assertThat(Backup.rowCountFailed(failed, "app", null, null).getMessage())
                .contains("(SQLSTATE 42501)").endsWith("pg_dump was stopped; the partial backup was removed.");
    }

    @Test
    void aKilledPgDumpLeavesNoPartialFile(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE busy (id int)", "INSERT INTO busy SELECT generate_series(1, 100)");

        try (Connection holder = lock(db, "busy")) {
            CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(
                    () -> Backup.run(BackupRestoreTest.target(db), new BackupSettings().out(dir.resolve("busy.dump")), Progress.silent()));
            long pid = awaitPgDump();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (filesInDir().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // pg_dump creates its output before it waits for the lock: the partial file exists
            }
            assertThat(filesInDir()).singleElement().asString().startsWith(".busy.dump.partial-");
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            holder.rollback(); // lets the row count in the backup's snapshot transaction finish

            assertThatThrownBy(() -> backup.get(60, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RunbookException.class).hasMessageContaining("pg_dump was killed by signal 9").hasMessageContaining("partial backup was removed");
        }
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void keepRemovesOnlyOlderBackupsOfThisDatabaseMadeByThisTool(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)");
        DatabaseTarget target = BackupRestoreTest.target(db);
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        Files.writeString(dir.resolve("foreign.dump"), "not ours");
        Files.writeString(dir.resolve("foreign.dump.meta.json"), "{\"tool\":\"something-else\",\"file\":\"foreign.dump\"}");
        Files.writeString(dir.resolve("other-db.dump"), "another database's backup");
        Files.writeString(dir.resolve("other-db.dump.meta.json"), "{\"tool\":\"migration-runbook\",\"file\":\"other-db.dump\","
                + "\"database\":\"other\",\"startedAt\":\"2020-01-01T00:00:00Z\",\"sha256\":\"x\"}");

        Backup.run(target, new BackupSettings().out(dir.resolve("b1.dump")), Progress.silent());
        Backup.run(target, new BackupSettings().out(dir.resolve("b2.dump")), Progress.silent());
        BackupResult third = Backup.run(target, new BackupSettings().out(dir.resolve("b3.dump")).keep(2), Progress.silent());

        assertThat(third.removedByRetention()).containsExactlyInAnyOrder(dir.resolve("b1.dump").toString(),
                dir.resolve("b1.dump.meta.json").toString());
        assertThat(filesInDir()).containsExactlyInAnyOrder("b2.dump", "b2.dump.meta.json", "b3.dump", "b3.dump.meta.json",
                "notes.txt", "foreign.dump", "foreign.dump.meta.json", "other-db.dump", "other-db.dump.meta.json");

        BackupResult fourth = Backup.run(target, new BackupSettings().out(dir.resolve("b4.dump")).keep(1), Progress.silent());
        assertThat(fourth.removedByRetention()).hasSize(4);
        assertThat(filesInDir()).contains("b4.dump").doesNotContain("b2.dump", "b3.dump").contains("other-db.dump", "foreign.dump");
    }

    @Test
    void notEnoughFreeSpaceIsRefusedBeforeAnyWork(TestDatabase db) throws Exception {
        assertThatThrownBy(() -> Backup.run(BackupRestoreTest.target(db),
                new BackupSettings().out(dir.resolve("big.dump")).freeSpaceFactor(1e9), Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                .hasMessageContaining("Not enough free space in " + dir).hasMessageContaining("needed");
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void progressReportsTheBytesWrittenWhilePgDumpRuns(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE busy (id int)", "INSERT INTO busy SELECT generate_series(1, 100)");
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Connection holder = lock(db, "busy")) {
            CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(() -> Backup.run(BackupRestoreTest.target(db),
                    new BackupSettings().out(dir.resolve("busy.dump")).progressInterval(Duration.ofMillis(50)), messages::add));
            awaitPgDump();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (messages.stream().noneMatch(m -> m.matches("pg_dump: .* written \\(.*\\)")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            holder.commit();
            backup.get(60, TimeUnit.SECONDS);
        }
        assertThat(messages).anyMatch(m -> m.matches("pg_dump: [0-9.]+ (B|KiB|MiB) written \\(.*\\)"))
                .anyMatch(m -> m.startsWith("Row counts of 1 tables"))
                .anyMatch(m -> m.startsWith("Verified 1 tables"));
    }

    @Test
    void aPgDumpOlderThanTheServerIsRefusedBeforeAnyWork() {
        PgTools.ToolVersion old = PgTools.parseVersion("pg_dump", Path.of("/opt/pg14/bin/pg_dump"), "pg_dump (PostgreSQL) 14.11");
        assertThat(old.major()).isEqualTo(14);
        assertThatThrownBy(() -> PgTools.requireAtLeastServer(old, 15, "15.19"))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                .hasMessageContaining("pg_dump 14.11").hasMessageContaining("older than the server (PostgreSQL 15.19)")
                .hasMessageContaining("--pg-bin");
    }
}
