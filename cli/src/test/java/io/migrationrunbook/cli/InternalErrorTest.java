package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java Error (StackOverflowError, OutOfMemoryError) escaping a subcommand: one clear line, where the report is, exit 3 —
 * instead of picocli letting it escape as a stack trace and the JVM's exit 1 (which reads as "a check failed"). The
 * subcommands are test-only ones added to the real command line, so the real execution strategy and handler run.
 */
class InternalErrorTest {

    @Command(name = "overflow")
    static final class Overflowing extends EngineCommand {
        @Override
        protected Outcome run(Progress progress) {
            throw new StackOverflowError();
        }
    }

    @Command(name = "oom-with-report")
    static final class OutOfMemoryWithReport extends EngineCommand {
        @Option(names = "--out")
        Path out;

        @Override
        protected Path reportDirectory() {
            return out;
        }

        @Override
        protected Outcome run(Progress progress) {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void anErrorEscapingACommandIsOneLineAndExit3() {
        Captured run = run("overflow");
        assertThat(run.exitCode).isEqualTo(3);
        assertThat(run.err.strip()).isEqualTo("error: internal error: java.lang.StackOverflowError in `runbook overflow`; this command "
                + "writes no report. Please report it (RUNBOOK_DEBUG=1 prints the stack trace); a larger -Xmx or -Xss may get past it.");
        assertThat(run.err).doesNotContain("\tat ");
    }

    @Test
    void theLineSaysWhereTheReportIsAndJsonGetsTheErrorObject(@TempDir Path dir) throws Exception {
        Captured run = run("oom-with-report", "--out", dir.toString(), "--json");
        assertThat(run.exitCode).isEqualTo(3);
        assertThat(run.err).contains("error: internal error: java.lang.OutOfMemoryError: Java heap space in `runbook oom-with-report`; "
                + "the report is in " + dir.toAbsolutePath()).doesNotContain("\tat ");
        JsonNode json = Json.mapper().readTree(run.out);
        assertThat(json.get("status").asText()).isEqualTo("ERROR");
        assertThat(json.get("exitCode").asInt()).isEqualTo(3);
        assertThat(json.get("error").get("kind").asText()).isEqualTo("INTERNAL");
        assertThat(json.get("error").get("message").asText()).startsWith("internal error: java.lang.OutOfMemoryError");
    }

    private record Captured(int exitCode, String out, String err) {
    }

    private static Captured run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RunbookCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cli.addSubcommand(new Overflowing());
        cli.addSubcommand(new OutOfMemoryWithReport());
        cli.setOut(new PrintWriter(out, true)); // again: subcommands added later get their writers from here
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Captured(code, out.toString(), err.toString());
    }
}
