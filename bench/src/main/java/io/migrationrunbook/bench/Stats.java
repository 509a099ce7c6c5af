package io.migrationrunbook.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of measured values (nearest rank). */
public final class Stats {
    private Stats() {
    }

    public static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static long median(List<Long> values) {
        return percentile(values, 50);
    }

    public static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    public static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    public static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    public static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
