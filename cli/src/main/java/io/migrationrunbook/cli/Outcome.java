package io.migrationrunbook.cli;

import io.migrationrunbook.core.RunbookException;

/**
 * What a subcommand produced: the result object (printed as JSON with {@code --json}), whether every check
 * passed (exit 0) or one failed (exit 1, or {@code failureExitCode}), and the summary a human reads.
 */
public record Outcome(Object result, boolean passed, String humanSummary, int failureExitCode) {

    public Outcome(Object result, boolean passed, String humanSummary) {
        this(result, passed, humanSummary, RunbookException.Kind.CHECK_FAILED.exitCode());
    }

    public static Outcome passed(Object result, String humanSummary) {
        return new Outcome(result, true, humanSummary);
    }

    public static Outcome of(Object result, boolean passed, String humanSummary) {
        return new Outcome(result, passed, humanSummary);
    }

    /**
     * A failed result that is still worth printing whole, whose cause is the environment, not a check (exit 3): e.g. the
     * server went away in the middle of a migration.
     */
    public static Outcome environmentFailure(Object result, String humanSummary) {
        return new Outcome(result, false, humanSummary, RunbookException.Kind.ENVIRONMENT.exitCode());
    }

    public int exitCode() {
        return passed ? 0 : failureExitCode;
    }
}
