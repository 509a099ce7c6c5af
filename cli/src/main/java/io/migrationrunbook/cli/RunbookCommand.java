package io.migrationrunbook.cli;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code runbook}: the production migration runbook on the command line. Exit codes: 0 done and every check
 * passed, 1 a check failed, 2 usage or configuration error, 3 environment error — and an internal error (a Java
 * {@link Error} such as OutOfMemoryError or StackOverflowError escaping a command), never 1, which reads as a failed check.
 */
// INHERIT: every subcommand answers --help and --version, including those added later
@Command(name = "runbook", mixinStandardHelpOptions = true, version = "runbook 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "Production database migration runbook: backup, migrate, verify, pause and resume consumers, check.",
        subcommands = {
                TestConnectionCommand.class,
                SnapshotCommand.class,
                BackupCommand.class,
                RestoreCommand.class,
                DbErrorsCommand.class,
                LogsCommand.class,
                WindowCommand.class,
                RunCommand.class,
                DemoCommand.class,
                MigrateCommand.class,
                RepairCommand.class,
                VerifyCommand.class,
                SmokeCommand.class,
                LintCommand.class,
                ClassifyCommand.class,
                PrecheckCommand.class,
                RehearseCommand.class,
                PauseCommand.class,
                ResumeCommand.class,
                LagCommand.class,
        })
public class RunbookCommand implements Runnable {

    public static final int EXIT_CHECK_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_ENVIRONMENT = 3;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Name a subcommand (see runbook --help).");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line with the real stdout/stderr; returns the exit code. */
    public static int execute(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new RunbookCommand());
        cli.registerConverter(java.time.Duration.class, new DurationConverter());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failed = ex.getCommandLine();
            if (wantsJson(arguments)) {
                printJsonError(failed.getOut(), RunbookException.Kind.CONFIGURATION, ex.getMessage(), EXIT_USAGE);
            }
            failed.getErr().println("error: " + ex.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_USAGE;
        });
        // picocli hands only Exceptions to the handler below; an Error would escape execute() as a stack trace and exit 1
        cli.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (Error error) {
                return internalError(error, lastCommand(parseResult), parseResult.originalArgs().toArray(String[]::new));
            }
        });
        cli.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            RunbookException.Kind kind;
            String message;
            if (ex instanceof RunbookException re) {
                kind = re.kind();
                message = re.getMessage();
            } else {
                kind = RunbookException.Kind.ENVIRONMENT;
                message = "Unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
            }
            if (wantsJson(parseResult.originalArgs().toArray(String[]::new))) {
                printJsonError(failed.getOut(), kind, message, kind.exitCode());
            }
            failed.getErr().println("error: " + message);
            if (!(ex instanceof RunbookException) || System.getenv("RUNBOOK_DEBUG") != null) {
                ex.printStackTrace(failed.getErr());
            }
            failed.getErr().flush();
            return kind.exitCode();
        });
        return cli;
    }

    /**
     * One clear line for an Error that escaped a command (the JVM ran out of memory or stack): what it was, where the run
     * report is when the command writes one, and to report it; exit 3. The stack trace only with RUNBOOK_DEBUG set.
     */
    static int internalError(Error error, CommandLine failed, String[] args) {
        String report = failed.getCommand() instanceof EngineCommand command && command.reportDirectory() != null
                ? "the report is in " + command.reportDirectory().toAbsolutePath() : "this command writes no report";
        String message = "internal error: " + error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage())
                + " in `" + failed.getCommandSpec().qualifiedName() + "`; " + report + ". Please report it (RUNBOOK_DEBUG=1 prints the "
                + "stack trace); a larger -Xmx or -Xss may get past it.";
        try {
            if (wantsJson(args)) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("status", "ERROR");
                json.put("exitCode", EXIT_ENVIRONMENT);
                json.put("error", Map.of("kind", "INTERNAL", "message", message));
                failed.getOut().println(Json.writePretty(json));
                failed.getOut().flush();
            }
            failed.getErr().println("error: " + message);
            if (System.getenv("RUNBOOK_DEBUG") != null) {
                error.printStackTrace(failed.getErr());
            }
            failed.getErr().flush();
        } catch (Throwable printing) {
            // out of memory or stack still: the exit code says enough
        }
        return EXIT_ENVIRONMENT;
    }

    private static CommandLine lastCommand(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        return last.commandSpec().commandLine();
    }

    private static boolean wantsJson(String[] args) {
        for (String arg : args) {
            if (arg.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    private static void printJsonError(PrintWriter out, RunbookException.Kind kind, String message, int exitCode) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "ERROR");
        error.put("exitCode", exitCode);
        error.put("error", Map.of("kind", kind.name(), "message", message == null ? "" : message));
        out.println(Json.writePretty(error));
        out.flush();
    }
}
