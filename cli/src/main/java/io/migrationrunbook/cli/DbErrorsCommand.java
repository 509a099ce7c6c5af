package io.migrationrunbook.cli;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.dberrors.ErrorRateComparison;
import io.migrationrunbook.dberrors.ErrorRateSampler;
import io.migrationrunbook.dberrors.ErrorRates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code runbook db-errors}: "verify no increase in DB error rates". Before the migration, {@code --save-baseline FILE}
 * samples the rates; after it, {@code --baseline FILE} samples the same window again and compares.
 */
@Command(name = "db-errors", description = "Sample pg_stat_database error rates; save a baseline or compare with one.")
public class DbErrorsCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--window", defaultValue = "30s", description = "Sampling window (default ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--save-baseline", paramLabel = "FILE", description = "Write the measured rates here (before the migration).")
    Path saveBaseline;

    @Option(names = "--baseline", paramLabel = "FILE", description = "Compare with rates saved before the migration.")
    Path baseline;

    @Option(names = "--factor", defaultValue = "2.0", description = "A rate fails above factor × baseline (default ${DEFAULT-VALUE}).")
    double factor;

    @Option(names = "--min-rate", defaultValue = "0.1", description = "…and above this many per second (default ${DEFAULT-VALUE}).")
    double minRate;

    @Override
    protected Outcome run(Progress progress) throws IOException {
        if ((saveBaseline == null) == (baseline == null)) {
            throw RunbookException.configuration("Pass exactly one of --save-baseline FILE (before the migration) or --baseline FILE (after it).");
        }
        ErrorRates before = null;
        if (baseline != null) {
            if (!Files.isReadable(baseline)) {
                throw RunbookException.configuration("Cannot read the baseline " + baseline + ": create it before the migration with --save-baseline.");
            }
            before = Json.mapper().readValue(baseline.toFile(), ErrorRates.class);
        }
        ErrorRates measured = new ErrorRateSampler(Clock.systemUTC()).measure(db.target(), window, progress);
        if (saveBaseline != null) {
            Files.writeString(saveBaseline, Json.writePretty(measured));
            return Outcome.passed(measured, String.format("Baseline saved to %s: %.3f rollbacks/s, %.3f deadlocks/s over %s",
                    saveBaseline, measured.rollbacksPerSecond(), measured.deadlocksPerSecond(), Progress.format(window)));
        }
        ErrorRateComparison comparison = ErrorRateComparison.compare(before, measured, factor, minRate);
        return Outcome.of(comparison, comparison.passed(), comparison.summary());
    }
}
