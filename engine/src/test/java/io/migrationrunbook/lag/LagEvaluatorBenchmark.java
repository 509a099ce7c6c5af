package io.migrationrunbook.lag;

import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.PartitionOffsets;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long one lag evaluation over 1,000 partitions takes. Prints the figure; no timed assertion. Run it with
 * {@code mvn -B -q -pl engine -am test -Dtest=LagEvaluatorBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (output in engine/target/surefire-reports/io.migrationrunbook.lag.LagEvaluatorBenchmark-output.txt), or run main().
 */
class LagEvaluatorBenchmark {

    static final int PARTITIONS = 1000;
    static final int SAMPLES = 10;

    static List<GroupSnapshot> window() {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        List<GroupSnapshot> window = new ArrayList<>();
        for (int s = 0; s < SAMPLES; s++) {
            List<PartitionOffsets> partitions = new ArrayList<>(PARTITIONS);
            for (int p = 0; p < PARTITIONS; p++) {
                long logEnd = 10_000 + s * 50L;
                long committed = 5_000 + s * (p % 3 == 0 ? 40L : 600L);
                partitions.add(PartitionOffsets.of("topic-" + (p / 100), p % 100, Math.min(committed, logEnd), logEnd, true));
            }
            window.add(new GroupSnapshot("bench", "STABLE", "CONSUMER", 10, t0.plusSeconds(s), partitions));
        }
        return window;
    }

    public static void main(String[] args) {
        new LagEvaluatorBenchmark().oneEvaluationOverAThousandPartitions();
    }

    @Test
    void oneEvaluationOverAThousandPartitions() {
        List<GroupSnapshot> window = window();
        Instant deadline = window.get(0).at().plusSeconds(3600);
        for (int i = 0; i < 200; i++) { // warm-up: JIT
            LagEvaluator.evaluate(window, 100, deadline);
        }
        int runs = 500;
        long start = System.nanoTime();
        GroupLagEvaluation last = null;
        for (int i = 0; i < runs; i++) {
            last = LagEvaluator.evaluate(window, 100, deadline);
        }
        double perRunMs = (System.nanoTime() - start) / 1e6 / runs;
        long coldStart = System.nanoTime();
        LagEvaluator.evaluate(window(), 100, deadline);
        double coldMs = (System.nanoTime() - coldStart) / 1e6;
        System.out.printf("LagEvaluator: %d partitions x %d samples: %.3f ms per evaluation (mean of %d, warm); "
                + "one more including building the window: %.1f ms%n", PARTITIONS, SAMPLES, perRunMs, runs, coldMs);
        assertThat(last.partitions()).hasSize(PARTITIONS);
    }
}
