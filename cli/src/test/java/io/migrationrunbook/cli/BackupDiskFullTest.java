package io.migrationrunbook.cli;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real "disk full": the backup CLI runs in a private mount namespace where its destination is a 1 MiB tmpfs.
 * Needs Linux, root and unshare(1); skipped elsewhere.
 */
@ExtendWith(PostgresExtension.class)
class BackupDiskFullTest {

    @TempDir
    Path dir;

    private static boolean canMountPrivateTmpfs(Path dir) throws Exception {
        try {
            Process probe = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs -o size=1m none \"$0\"", dir.toString()).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aFullDiskFailsTheBackupRemovesThePartialFileAndSaysSo(TestDatabase db) throws Exception {
        assumeTrue(canMountPrivateTmpfs(dir), "needs root and unshare -m to mount a small tmpfs");
        db.execute("CREATE TABLE payload (id int, v text)",
                "INSERT INTO payload SELECT g, md5(g::text) || md5(random()::text) FROM generate_series(1, 100000) g");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String script = "mount -t tmpfs -o size=1m none \"$0\" || exit 99; shift; \"$@\"; rc=$?; "
                + "echo \"LEFT:$(ls -A \"$DEST\" | tr '\\n' ' ')\"; exit $rc";
        ProcessBuilder builder = new ProcessBuilder(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script,
                dir.toString(), "ignored", java.toString(), "-cp", System.getProperty("java.class.path"),
                RunbookCommand.class.getName(), "backup", "--db-url", db.jdbcUrl(), "--db-user", db.user(),
                "--out", dir.resolve("full.dump").toString(), "--free-space-factor", "0"));
        builder.environment().put("DEST", dir.toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("pg_dump exited with code 1; the partial backup was removed")
                .contains("No space left on device").contains("The destination filesystem is full");
        assertThat(output.substring(output.indexOf("LEFT:") + 5).trim()).as("files left on the full disk").isEmpty();
    }
}
