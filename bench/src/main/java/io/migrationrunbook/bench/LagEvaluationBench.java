package io.migrationrunbook.bench;

import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.PartitionOffsets;
import io.migrationrunbook.lag.GroupLagEvaluation;
import io.migrationrunbook.lag.LagEvaluator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One lag evaluation ({@link LagEvaluator}: Burrow's rules plus the drain verdict) over a window of 10 samples of 1,000
 * partitions (10 topics of 100): warm mean of 500 evaluations, and a cold one including building the window.
 */
public final class LagEvaluationBench {

    static final int SAMPLES = 10;

    private LagEvaluationBench() {
    }

    static List<GroupSnapshot> window(int partitionCount) {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        List<GroupSnapshot> window = new ArrayList<>();
        for (int s = 0; s < SAMPLES; s++) {
            List<PartitionOffsets> partitions = new ArrayList<>(partitionCount);
            for (int p = 0; p < partitionCount; p++) {
                long logEnd = 10_000 + s * 50L;
                long committed = 5_000 + s * (p % 3 == 0 ? 40L : 600L);
                partitions.add(PartitionOffsets.of("topic-" + (p / 100), p % 100, Math.min(committed, logEnd), logEnd, true));
            }
            window.add(new GroupSnapshot("bench", "STABLE", "CONSUMER", 10, t0.plusSeconds(s), partitions));
        }
        return window;
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) {
        int partitions = options.integer("partitions", 1000, 1000);
        List<GroupSnapshot> window = window(partitions);
        Instant deadline = window.get(0).at().plusSeconds(3600);
        long coldStart = System.nanoTime();
        LagEvaluator.evaluate(window(partitions), 100, deadline);
        double coldMs = (System.nanoTime() - coldStart) / 1e6;
        for (int i = 0; i < 200; i++) { // warm-up: JIT
            LagEvaluator.evaluate(window, 100, deadline);
        }
        int runs = 500;
        long start = System.nanoTime();
        GroupLagEvaluation last = null;
        for (int i = 0; i < runs; i++) {
            last = LagEvaluator.evaluate(window, 100, deadline);
        }
        double warmMs = (System.nanoTime() - start) / 1e6 / runs;
        if (last.partitions().size() != partitions) {
            throw new IllegalStateException("evaluated " + last.partitions().size() + " partitions, expected " + partitions);
        }
        new Table("partitions", "samples per partition", "first evaluation (cold JVM, incl. building the window)", "warm evaluation (mean of 500)")
                .row(partitions, SAMPLES, Table.ms(coldMs), String.format("%.3f ms", warmMs))
                .note("target: under 1 s per evaluation")
                .print();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("partitions", partitions);
        json.put("coldMs", Stats.round1(coldMs));
        json.put("warmMs", Stats.round3(warmMs));
        return json;
    }
}
