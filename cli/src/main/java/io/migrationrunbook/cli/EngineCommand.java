package io.migrationrunbook.cli;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Base of every subcommand: runs the engine operation with progress on stderr, then prints the outcome
 * (JSON or human) on stdout and turns it into the exit code. Failures are mapped by {@link RunbookCommand}.
 */
public abstract class EngineCommand implements Callable<Integer> {

    @Mixin
    protected OutputOptions output;

    @Spec
    protected CommandSpec spec;

    protected abstract Outcome run(Progress progress) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = message -> {
            err.println(message);
            err.flush();
        };
        Outcome outcome = run(progress);
        PrintWriter out = spec.commandLine().getOut();
        if (output != null && output.json()) {
            out.println(Json.writePretty(outcome.result()));
        } else {
            out.println(outcome.humanSummary());
        }
        out.flush();
        return outcome.exitCode();
    }

    /** Where this command writes its run report (commands that write one override this), for the internal-error line. */
    protected Path reportDirectory() {
        return null;
    }

    protected boolean json() {
        return output != null && output.json();
    }
}
