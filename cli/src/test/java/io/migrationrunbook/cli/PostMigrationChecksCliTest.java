package io.migrationrunbook.cli;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class PostMigrationChecksCliTest {

    @Test
    void dbErrorsSavesABaselineThenComparesWithIt(TestDatabase db, @TempDir Path dir) {
        Path baseline = dir.resolve("baseline.json");
        CliRun save = CliRun.of("db-errors", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--window", "300ms",
                "--save-baseline", baseline.toString(), "--json");
        assertThat(save.exitCode()).as(save.err()).isZero();
        assertThat(Files.exists(baseline)).isTrue();

        CliRun compare = CliRun.of("db-errors", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--window", "300ms",
                "--baseline", baseline.toString(), "--json");
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(compare.json().get("passed").asBoolean()).isTrue();
        assertThat(compare.json().get("counters")).hasSize(4);
    }

    @Test
    void dbErrorsNeedsExactlyOneModeAndSaysSo(TestDatabase db) {
        CliRun run = CliRun.of("db-errors", "--db-url", db.jdbcUrl(), "--db-user", db.user());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--save-baseline FILE").contains("--baseline FILE");
    }

    @Test
    void windowRefusesARunThatDoesNotFitAndRejectsBadInputWithExitCode2() {
        CliRun tooLong = CliRun.of("window", "--days", "daily", "--from", "00:00", "--to", "23:59", "--estimate", "25h");
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).contains("would overrun");
        CliRun bad = CliRun.of("window", "--days", "Funday", "--from", "22:00", "--to", "02:00");
        assertThat(bad.exitCode()).isEqualTo(2);
        CliRun badDuration = CliRun.of("window", "--days", "Mon", "--from", "22:00", "--to", "02:00", "--estimate", "soon");
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.err()).contains("500ms, 30s, 5m or 2h");
    }

    @Test
    void logsWithAnUnreadableTokenFileIsAConfigurationErrorBeforeAnySearch(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-token");
        CliRun run = CliRun.of("logs", "--splunk-url", "http://localhost:1", "--query", "index=app", "--since", "5m",
                "--token-file", missing.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Cannot read the secret file " + missing).doesNotContain("Cannot reach");
    }
}
