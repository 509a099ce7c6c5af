package io.migrationrunbook.dberrors;

import java.time.Duration;
import java.time.Instant;

/** Per-second rates of the error counters between two samples. */
public record ErrorRates(Instant from, Instant to, double commitsPerSecond, double rollbacksPerSecond,
                         double deadlocksPerSecond, double conflictsPerSecond, double tempFilesPerSecond) {

    public static ErrorRates between(StatCounters before, StatCounters after) {
        double seconds = Math.max(0.001, Duration.between(before.at(), after.at()).toMillis() / 1000.0);
        return new ErrorRates(before.at(), after.at(),
                (after.commits() - before.commits()) / seconds,
                (after.rollbacks() - before.rollbacks()) / seconds,
                (after.deadlocks() - before.deadlocks()) / seconds,
                (after.conflicts() - before.conflicts()) / seconds,
                (after.tempFiles() - before.tempFiles()) / seconds);
    }
}
