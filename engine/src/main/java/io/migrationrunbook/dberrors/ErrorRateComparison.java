package io.migrationrunbook.dberrors;

import java.util.ArrayList;
import java.util.List;

/**
 * "Verify no increase in DB error rates": compares the rates measured after the migration with the same window
 * before it. A rate fails when it exceeds {@code factor} times its baseline AND the absolute floor
 * {@code minRatePerSecond} (so 0 → 0.02/s is noise, not an incident).
 */
public record ErrorRateComparison(ErrorRates before, ErrorRates after, double factor, double minRatePerSecond,
                                  List<Counter> counters, boolean passed) {

    /** One counter's verdict. */
    public record Counter(String name, double before, double after, double limit, boolean rose) {
    }

    public static ErrorRateComparison compare(ErrorRates before, ErrorRates after, double factor, double minRatePerSecond) {
        List<Counter> counters = new ArrayList<>();
        counters.add(counter("rollbacks", before.rollbacksPerSecond(), after.rollbacksPerSecond(), factor, minRatePerSecond));
        counters.add(counter("deadlocks", before.deadlocksPerSecond(), after.deadlocksPerSecond(), factor, minRatePerSecond));
        counters.add(counter("conflicts", before.conflictsPerSecond(), after.conflictsPerSecond(), factor, minRatePerSecond));
        counters.add(counter("tempFiles", before.tempFilesPerSecond(), after.tempFilesPerSecond(), factor, minRatePerSecond));
        boolean passed = counters.stream().noneMatch(Counter::rose);
        return new ErrorRateComparison(before, after, factor, minRatePerSecond, counters, passed);
    }

    static Counter counter(String name, double before, double after, double factor, double floor) {
        double limit = Math.max(before * factor, floor);
        return new Counter(name, before, after, limit, after > limit);
    }

    public String summary() {
        StringBuilder text = new StringBuilder(passed ? "No rise in database error rates" : "Database error rates ROSE");
        for (Counter c : counters) {
            text.append(String.format("%n  %-10s before %.3f/s  after %.3f/s  limit %.3f/s%s", c.name(), c.before(), c.after(),
                    c.limit(), c.rose() ? "  <-- rose" : ""));
        }
        return text.toString();
    }
}
