package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class BackupRestoreCommandTest {

    @TempDir
    Path dir;

    private static String[] args(TestDatabase db, String... more) {
        String[] base = {"--db-url", db.jdbcUrl(), "--db-user", db.user()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(more, 0, all, 0, 1);
        System.arraycopy(base, 0, all, 1, base.length);
        System.arraycopy(more, 1, all, 1 + base.length, more.length - 1);
        return all;
    }

    @Test
    void backupThenRestoreWithJsonResults(TestDatabase db) {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
        Path out = dir.resolve("t.dump");

        CliRun backup = CliRun.of(args(db, "backup", "--out", out.toString(), "--json"));
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        JsonNode json = backup.json();
        assertThat(json.get("file").asText()).isEqualTo(out.toString());
        assertThat(json.get("sha256").asText()).hasSize(64);
        assertThat(json.get("sizeBytes").asLong()).isEqualTo(out.toFile().length());
        assertThat(json.get("durationMs").asLong()).isPositive();
        assertThat(json.get("verified").asBoolean()).isTrue();
        assertThat(json.get("metadata").get("rowCounts").get("public.t").asLong()).isEqualTo(1000);
        assertThat(json.get("metadata").get("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(backup.err()).contains("Running pg_dump").contains("Backup verified and complete");

        CliRun restore = CliRun.of(args(db, "restore", "--from", out.toString(), "--target-database", db.name() + "_r", "--json"));
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(restore.json().get("database").asText()).isEqualTo(db.name() + "_r");
        assertThat(restore.json().get("tablesCompared").asInt()).isEqualTo(1);
        assertThat(restore.json().get("mismatches")).isEmpty();
        db.server().dropDatabase(db.name() + "_r");
    }

    @Test
    void overwriteIsAUsageErrorAndATamperedBackupFailsTheCheck(TestDatabase db) throws Exception {
        Path out = dir.resolve("t.dump");
        assertThat(CliRun.of(args(db, "backup", "--out", out.toString())).exitCode()).isZero();

        CliRun again = CliRun.of(args(db, "backup", "--out", out.toString(), "--json"));
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.json().get("error").get("message").asText()).contains("already exists");

        Files.write(out, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        CliRun restore = CliRun.of(args(db, "restore", "--from", out.toString()));
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.err()).contains("Refusing to restore").contains("SHA-256");
    }

    @Test
    void rowCountsThatDifferFromTheBackupFailTheRestoreAndKeepTheDatabaseForInspection(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 10)");
        Path out = dir.resolve("t.dump");
        // the lock wait is a duration like every other in the CLI (a bare number is still seconds)
        CliRun backup = CliRun.of(args(db, "backup", "--out", out.toString(), "--lock-wait-timeout", "30s"));
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        Path sidecar = dir.resolve("t.dump.meta.json");
        Files.writeString(sidecar, Files.readString(sidecar).replace("\"public.t\" : 10", "\"public.t\" : 11"));

        CliRun restore = CliRun.of(args(db, "restore", "--from", out.toString(), "--json"));

        assertThat(restore.exitCode()).as(restore.err()).isEqualTo(1);
        JsonNode json = restore.json();
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.get("mismatches").get(0).get("table").asText()).isEqualTo("public.t");
        assertThat(json.get("mismatches").get(0).get("expected").asLong()).isEqualTo(11);
        assertThat(json.get("mismatches").get(0).get("actual").asLong()).isEqualTo(10);
        assertThat(restore.err()).contains("kept for inspection");
        db.server().dropDatabase(json.get("database").asText());
    }

    @Test
    void aBackupWithoutItsSidecarIsNotRestored(TestDatabase db) throws Exception {
        Path out = dir.resolve("t.dump");
        assertThat(CliRun.of(args(db, "backup", "--out", out.toString())).exitCode()).isZero();
        Files.delete(dir.resolve("t.dump.meta.json"));

        CliRun restore = CliRun.of(args(db, "restore", "--from", out.toString()));
        assertThat(restore.exitCode()).isEqualTo(2);
        assertThat(restore.err()).contains("has no metadata file t.dump.meta.json");
    }

    @Test
    void missingPgDumpIsAnEnvironmentErrorNamingTheFix(TestDatabase db) throws Exception {
        Path emptyBin = Files.createDirectory(dir.resolve("bin"));
        Path out = dir.resolve("t.dump");

        CliRun run = CliRun.of(args(db, "backup", "--out", out.toString(), "--pg-bin", emptyBin.toString()));

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("pg_dump was not found").contains(emptyBin.toString()).contains("--pg-bin");
        assertThat(out).doesNotExist();
    }

    /**
     * RUNBOOK_PG_BIN in the CLI's real environment (a child process, since the in-process CliRun cannot set one):
     * the backup runs the pg_dump and pg_restore of that directory (wrappers that log, then exec the real tools),
     * and a directory without pg_dump is exit 3 naming the variable and the fix.
     */
    @Test
    void theRunbookPgBinVariableIsHonouredAndADirectoryWithoutPgDumpIsExit3(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 10)");
        Path log = dir.resolve("calls.log");
        Path bin = Files.createDirectory(dir.resolve("wrappers"));
        for (String program : java.util.List.of("pg_dump", "pg_restore")) {
            Path script = bin.resolve(program);
            Files.writeString(script, "#!/bin/sh\necho \"" + program + " $*\" >> '" + log + "'\nexec '"
                    + io.migrationrunbook.backup.PgTools.locate(null).require(program) + "' \"$@\"\n");
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path out = dir.resolve("t.dump");

        Process backup = CliProcess.start(dir, java.util.Map.of("RUNBOOK_PG_BIN", bin.toString()),
                args(db, "backup", "--out", out.toString(), "--json"));
        assertThat(backup.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(backup.exitValue()).as(CliProcess.stderr(dir)).isZero();
        assertThat(out).exists();
        assertThat(Files.readAllLines(log)).anyMatch(line -> line.startsWith("pg_dump --format=c"))
                .anyMatch(line -> line.startsWith("pg_restore --list"));

        Path empty = Files.createDirectory(dir.resolve("empty"));
        Process missing = CliProcess.start(dir, java.util.Map.of("RUNBOOK_PG_BIN", empty.toString()),
                args(db, "backup", "--out", dir.resolve("t2.dump").toString()));
        assertThat(missing.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isEqualTo(3);
        assertThat(CliProcess.stderr(dir)).contains("pg_dump was not found in " + empty)
                .contains("environment variable RUNBOOK_PG_BIN").contains("Point RUNBOOK_PG_BIN at the directory holding pg_dump");
        assertThat(dir.resolve("t2.dump")).doesNotExist();
    }

    @Test
    void unwritableOrMissingDestinationIsAnEnvironmentError(TestDatabase db) throws Exception {
        // Root ignores permission bits, so use a filesystem nobody can create files in, and a "directory" that is a file.
        CliRun proc = CliRun.of(args(db, "backup", "--out", "/proc/runbook-test.dump"));
        assertThat(proc.exitCode()).isEqualTo(3);
        assertThat(proc.err()).contains("is not writable");

        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        CliRun notDir = CliRun.of(args(db, "backup", "--out", file.resolve("t.dump").toString()));
        assertThat(notDir.exitCode()).isEqualTo(3);
        assertThat(notDir.err()).contains("is not a directory");

        CliRun missing = CliRun.of(args(db, "backup", "--out", dir.resolve("nope/t.dump").toString()));
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("does not exist");
    }

    @Test
    void customFormatWithSeveralJobsIsAUsageError(TestDatabase db) {
        CliRun run = CliRun.of(args(db, "backup", "--out", dir.resolve("t.dump").toString(), "--jobs", "4"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--format directory");
    }
}
