package io.migrationrunbook.cli;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class CliContractTest {

    @Test
    void jsonOutputIsOneObjectOnStdoutWithProgressOnStderr(TestDatabase db) {
        CliRun run = CliRun.of("test-connection", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.json().get("database").asText()).isEqualTo(db.name());
        assertThat(run.json().get("serverVersionNum").asInt() / 10000).isEqualTo(15);
        assertThat(run.err()).contains("Connecting to");
    }

    @Test
    void unreachableServerIsAnEnvironmentErrorWithExitCode3() {
        CliRun run = CliRun.of("test-connection", "--db-url", "jdbc:postgresql://localhost:1/nowhere", "--db-user", "x", "--json");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.json().get("error").get("kind").asText()).isEqualTo("ENVIRONMENT");
        assertThat(run.err()).contains("Cannot connect to x@localhost:1/nowhere");
    }

    @Test
    void malformedUrlAndMissingFlagsAreUsageErrorsWithExitCode2() {
        CliRun badUrl = CliRun.of("test-connection", "--db-url", "postgres://h/db", "--db-user", "x");
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("jdbc:postgresql://HOST:PORT/DATABASE");

        CliRun missing = CliRun.of("test-connection", "--db-url", "jdbc:postgresql://h/db");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--db-user");
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsageAndExitCode0() {
        var subcommands = RunbookCommand.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter())).getSubcommands().keySet();
        assertThat(subcommands).contains("backup", "migrate", "lint", "run", "demo");
        for (String name : subcommands) {
            CliRun help = CliRun.of(name, "--help");
            assertThat(help.exitCode()).as("runbook %s --help: %s", name, help.err()).isZero();
            assertThat(help.out()).as("runbook %s --help", name).startsWith("Usage: runbook " + name);
        }
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutEchoingIt() {
        CliRun run = CliRun.of("test-connection", "--db-url", "jdbc:postgresql://h/db?password=hunter2", "--db-user", "x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out() + run.err()).doesNotContain("hunter2").contains("PGPASSWORD");
    }
}
