package io.migrationrunbook.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's own arithmetic and argument parsing (no benchmark runs here: `mvn verify` stays fast). */
class HarnessTest {

    @Test
    void percentilesUseTheNearestRank() {
        List<Long> values = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            values.add(i);
        }
        assertThat(Stats.percentile(values, 99)).isEqualTo(99);
        assertThat(Stats.percentile(values, 100)).isEqualTo(100);
        assertThat(Stats.median(values)).isEqualTo(50);
        assertThat(Stats.max(values)).isEqualTo(100);
        assertThat(Stats.min(values)).isEqualTo(1);
        assertThat(Stats.percentile(List.of(30_000L, 5L, 7L), 99)).as("one long stall among few inserts").isEqualTo(30_000);
        assertThat(Stats.percentile(List.of(), 99)).isZero();
    }

    @Test
    void optionsAndNamesAreSeparatedAndQuickChangesOnlyDefaults() {
        Options options = Options.parse(new String[]{"--quick", "--hold-seconds=5", "writer-stall", "fleet"});
        assertThat(options.names()).containsExactly("writer-stall", "fleet");
        assertThat(options.integer("hold-seconds", 30, 10)).isEqualTo(5);
        assertThat(options.integer("backup-mb", 500, 100)).isEqualTo(100);
        assertThat(Options.parse(new String[0]).integer("backup-mb", 500, 100)).isEqualTo(500);
    }

    @Test
    void everyBenchmarkOfTheIssueIsRegisteredUnderAUniqueName() {
        List<String> names = Bench.ALL.stream().map(Bench.Entry::name).toList();
        assertThat(names).contains("writer-stall", "pause-window", "backup", "snapshot", "lint", "lag", "fleet").doesNotHaveDuplicates();
    }

    @Test
    void theMachineIsDescribed() {
        Machine machine = Machine.describe();
        assertThat(machine.cores()).isPositive();
        assertThat(machine.line()).contains("cores").contains("MiB memory");
    }
}
