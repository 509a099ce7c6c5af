package io.migrationrunbook.cli;

/**
 * What a subcommand produced: the result object (printed as JSON with {@code --json}), whether every check
 * passed (exit 0) or one failed (exit 1), and the summary a human reads.
 */
public record Outcome(Object result, boolean passed, String humanSummary) {

    public static Outcome passed(Object result, String humanSummary) {
        return new Outcome(result, true, humanSummary);
    }

    public static Outcome of(Object result, boolean passed, String humanSummary) {
        return new Outcome(result, passed, humanSummary);
    }
}
