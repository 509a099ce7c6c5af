package io.migrationrunbook.report;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Runs the runbook's steps and records each into the {@link RunReport}: name, start, duration, status, the engine's
 * result as details. The report is rewritten after every step, so a run killed half-way still leaves an accurate
 * record of what happened up to that point.
 */
public final class RunRecorder {

    /** A step's work. {@code passed} decides PASSED/FAILED for operations that report checks instead of throwing. */
    @FunctionalInterface
    public interface StepWork<T> {
        T run() throws Exception;
    }

    private final RunReport report;
    private final Path outputDirectory;
    private final Progress progress;
    private final Clock clock;

    public RunRecorder(RunReport report, Path outputDirectory, Progress progress, Clock clock) {
        this.report = report;
        this.outputDirectory = outputDirectory;
        this.progress = progress;
        this.clock = clock;
    }

    public RunReport report() {
        return report;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Runs a step. A {@link RunbookException} or any other exception marks it FAILED and is rethrown;
     * {@code passed} false marks it FAILED with {@code failureReason} applied to the result and throws a
     * CHECK_FAILED exception so the caller stops the run. An {@link Error} (out of memory, stack overflow) marks it
     * FAILED too, as far as the JVM still can, and is rethrown as it is.
     */
    public <T> T step(String name, StepWork<T> work, Function<T, Boolean> passed, Function<T, String> failureReason) {
        Instant start = clock.instant();
        progress.report("▶ %s ...", name);
        T result;
        try {
            result = work.run();
        } catch (Exception e) {
            long ms = Duration.between(start, clock.instant()).toMillis();
            report.add(new StepRecord(name, StepStatus.FAILED, e.getMessage(), start, ms, null));
            progress.report("✗ %s failed after %s: %s", name, Progress.format(Duration.ofMillis(ms)), e.getMessage());
            save();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new RunbookException(RunbookException.Kind.ENVIRONMENT, name + " failed: " + e.getMessage(), e);
        } catch (Error e) {
            try {
                long ms = Duration.between(start, clock.instant()).toMillis();
                report.add(new StepRecord(name, StepStatus.FAILED, describe(e), start, ms, null));
                progress.report("✗ %s failed after %s: %s", name, Progress.format(Duration.ofMillis(ms)), describe(e));
                save();
            } catch (Throwable recording) {
                e.addSuppressed(recording); // the step's Error is what the caller must see
            }
            throw e;
        }
        long ms = Duration.between(start, clock.instant()).toMillis();
        boolean ok = passed == null || Boolean.TRUE.equals(passed.apply(result));
        String reason = ok ? null : failureReason.apply(result);
        report.add(new StepRecord(name, ok ? StepStatus.PASSED : StepStatus.FAILED, reason, start, ms, result));
        progress.report("%s %s %s in %s%s", ok ? "✓" : "✗", name, ok ? "passed" : "failed",
                Progress.format(Duration.ofMillis(ms)), ok ? "" : ": " + reason);
        save();
        if (!ok) {
            throw RunbookException.checkFailed(name + " failed: " + reason);
        }
        return result;
    }

    /**
     * A failure in words for the report: the message of an exception, the class and message of anything else (an
     * Error's message alone — often null for StackOverflowError — says nothing).
     */
    public static String describe(Throwable failure) {
        if (failure instanceof Exception && failure.getMessage() != null) {
            return failure.getMessage();
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** Runs a step whose operation signals failure by throwing. */
    public <T> T step(String name, StepWork<T> work) {
        return step(name, work, null, null);
    }

    public void skip(String name, String why) {
        report.add(new StepRecord(name, StepStatus.SKIPPED, why, clock.instant(), 0, null));
        progress.report("- %s skipped: %s", name, why);
        save();
    }

    /** Closes the run: sets the final status and writes report.json and report.html. */
    public RunReport finish() {
        report.finish(clock.instant());
        save();
        return report;
    }

    public void save() {
        if (outputDirectory == null) {
            return;
        }
        try {
            ReportFiles.write(report, outputDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the run report to " + outputDirectory, e);
        }
    }
}
