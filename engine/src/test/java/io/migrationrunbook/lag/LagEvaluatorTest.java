package io.migrationrunbook.lag;

import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.PartitionOffsets;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Burrow's statuses and the runbook's stronger drain rule on recorded windows: pure functions, no Kafka. */
class LagEvaluatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /** One partition's window: committed offsets and log ends, one sample per second. */
    private static List<PartitionOffsets> partition(boolean assigned, long[] committed, long[] logEnd) {
        List<PartitionOffsets> window = new ArrayList<>();
        for (int i = 0; i < committed.length; i++) {
            window.add(PartitionOffsets.of("orders", 0, committed[i], logEnd[i], assigned));
        }
        return window;
    }

    private static long[] offsets(long... values) {
        return values;
    }

    @Test
    void lagZeroAnywhereInTheWindowIsOk() {
        assertThat(BurrowRules.evaluate(partition(true, offsets(100, 100, 100), offsets(100, 110, 120)))).isEqualTo(PartitionStatus.OK);
    }

    @Test
    void committedOffsetGoingBackwardsIsRewind() {
        assertThat(BurrowRules.evaluate(partition(true, offsets(100, 120, 90), offsets(200, 210, 220)))).isEqualTo(PartitionStatus.REWIND);
    }

    @Test
    void committedOffsetGoingBackwardsAfterCatchingUpIsStillRewind() {
        // Burrow would say OK (lag 0 in the window); a drained group reset to an earlier offset is a replay to look at
        assertThat(BurrowRules.evaluate(partition(true, offsets(200, 200, 90), offsets(200, 200, 200)))).isEqualTo(PartitionStatus.REWIND);
        assertThat(BurrowRules.rewind(partition(true, offsets(200, 200, 90), offsets(200, 200, 200)))).containsExactly(200, 90);
        assertThat(BurrowRules.rewind(partition(true, offsets(100, 120, 150), offsets(200, 200, 200)))).isNull();
    }

    @Test
    void frozenOffsetWithLagAndNoOwnerIsStop() {
        assertThat(BurrowRules.evaluate(partition(false, offsets(100, 100, 100), offsets(150, 160, 170)))).isEqualTo(PartitionStatus.STOP);
    }

    @Test
    void frozenOffsetWithLagAndAnOwnerIsStall() {
        assertThat(BurrowRules.evaluate(partition(true, offsets(100, 100, 100), offsets(150, 150, 150)))).isEqualTo(PartitionStatus.STALL);
    }

    @Test
    void advancingOffsetsWithLagThatNeverFallsIsWarn() {
        assertThat(BurrowRules.evaluate(partition(true, offsets(100, 110, 120), offsets(150, 170, 190)))).isEqualTo(PartitionStatus.WARN);
    }

    @Test
    void advancingOffsetsWithLagFallingOnceIsOk() {
        assertThat(BurrowRules.evaluate(partition(true, offsets(100, 110, 150), offsets(150, 170, 190)))).isEqualTo(PartitionStatus.OK);
    }

    @Test
    void groupStatusIsTheWorstPartition() {
        assertThat(PartitionStatus.worst(List.of(PartitionStatus.OK, PartitionStatus.WARN, PartitionStatus.STALL)))
                .isEqualTo(PartitionStatus.STALL);
        assertThat(PartitionStatus.STALL.burrowGroupStatus()).isEqualTo("ERR");
        assertThat(PartitionStatus.WARN.burrowGroupStatus()).isEqualTo("WARN");
    }

    // ---- the runbook's rule, over whole groups ----

    /** A group window: {@code rows[i]} = committed/logEnd pairs of each partition at second {@code i}. */
    private static List<GroupSnapshot> group(long[][]... rows) {
        List<GroupSnapshot> window = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            List<PartitionOffsets> partitions = new ArrayList<>();
            for (int p = 0; p < rows[i].length; p++) {
                partitions.add(PartitionOffsets.of("orders", p, rows[i][p][0], rows[i][p][1], true));
            }
            window.add(new GroupSnapshot("persistence-service", "STABLE", "CLASSIC", 1, T0.plusSeconds(i), partitions));
        }
        return window;
    }

    private static long[][] at(long... committedLogEndPairs) {
        long[][] row = new long[committedLogEndPairs.length / 2][];
        for (int i = 0; i < row.length; i++) {
            row[i] = new long[] {committedLogEndPairs[2 * i], committedLogEndPairs[2 * i + 1]};
        }
        return row;
    }

    private static final Instant FAR = T0.plusSeconds(3600);

    @Test
    void burrowOkIsNotEnoughWhileTheLagIsAboveTheBaseline() {
        // lag 100 -> 90 -> 95: Burrow says OK (it fell once), but it is far above the pre-pause baseline of 5
        List<GroupSnapshot> window = group(at(0, 100), at(20, 110), at(30, 125));
        GroupLagEvaluation e = LagEvaluator.evaluate(window, 5, FAR);
        assertThat(e.status()).isEqualTo(PartitionStatus.OK);
        assertThat(e.verdict()).isEqualTo(DrainVerdict.DRAINING);
        assertThat(e.reason()).contains("above the target 5");
    }

    @Test
    void lagFallingUnderTheBaselineWithOffsetsAdvancingIsDrained() {
        List<GroupSnapshot> window = group(at(0, 100, 50, 60), at(60, 110, 58, 62), at(108, 112, 63, 64));
        GroupLagEvaluation e = LagEvaluator.evaluate(window, 5, FAR);
        assertThat(e.verdict()).isEqualTo(DrainVerdict.DRAINED);
        assertThat(e.totalLagAtStart()).isEqualTo(110);
        assertThat(e.totalLag()).isEqualTo(5);
        assertThat(e.drainRatePerSecond()).isEqualTo(52.5);
        assertThat(e.estimatedSecondsLeft()).isEqualTo(0.0);
        assertThat(e.partitions()).extracting(PartitionLag::consumed).containsExactly(108L, 13L);
    }

    @Test
    void noLagAtAllIsDrained() {
        GroupLagEvaluation e = LagEvaluator.evaluate(group(at(10, 10), at(10, 10)), 0, FAR);
        assertThat(e.verdict()).isEqualTo(DrainVerdict.DRAINED);
        assertThat(e.reason()).isEqualTo("no lag left");
    }

    @Test
    void aConsumerKeepingUpWithTrafficUnderTheTargetIsDrained() {
        // constant lag of 2 under a baseline of 10, offsets advancing: steady state, the total never falls
        GroupLagEvaluation e = LagEvaluator.evaluate(group(at(100, 102), at(120, 122), at(140, 142)), 10, FAR);
        assertThat(e.verdict()).isEqualTo(DrainVerdict.DRAINED);
        assertThat(e.reason()).contains("stayed at or under the target");
    }

    @Test
    void aStalledPartitionBlocksTheDrainEvenUnderTheTarget() {
        // partition 1 has lag 3 and never moves although a member owns it
        GroupLagEvaluation e = LagEvaluator.evaluate(group(at(0, 50, 7, 10), at(40, 50, 7, 10), at(50, 50, 7, 10)), 5, FAR);
        assertThat(e.status()).isEqualTo(PartitionStatus.STALL);
        assertThat(e.burrowStatus()).isEqualTo("ERR");
        assertThat(e.verdict()).isEqualTo(DrainVerdict.DRAINING);
        assertThat(e.reason()).contains("1 partition(s) STALL");
    }

    @Test
    void aRewindFailsTheCheck() {
        GroupLagEvaluation e = LagEvaluator.evaluate(group(at(100, 200), at(150, 200), at(20, 200)), 5, FAR);
        assertThat(e.status()).isEqualTo(PartitionStatus.REWIND);
        assertThat(e.verdict()).isEqualTo(DrainVerdict.REWOUND);
        assertThat(e.verdict().isFinalFailure()).isTrue();
        assertThat(e.reason()).contains("went backwards on 1 partition(s) (orders-0 from 150 to 20)");
    }

    @Test
    void failsEarlyWhenTheDrainRateCannotMeetTheDeadline() {
        // lag 10000 falling by 10 per second: about 1000 s to go, the deadline is in 60 s
        List<GroupSnapshot> window = group(at(0, 10000), at(10, 10000), at(20, 10000));
        GroupLagEvaluation e = LagEvaluator.evaluate(window, 0, T0.plusSeconds(62));
        assertThat(e.verdict()).isEqualTo(DrainVerdict.CANNOT_MEET_DEADLINE);
        assertThat(e.estimatedSecondsLeft()).isEqualTo(998.0);
        assertThat(e.reason()).contains("deadline is in 60 s");
    }

    @Test
    void doesNotFailEarlyOnTooFewSamplesOrWhenTheRateIsEnough() {
        GroupLagEvaluation twoSamples = LagEvaluator.evaluate(group(at(0, 10000), at(10, 10000)), 0, T0.plusSeconds(61));
        assertThat(twoSamples.verdict()).isEqualTo(DrainVerdict.DRAINING);

        GroupLagEvaluation fastEnough = LagEvaluator.evaluate(group(at(0, 1000), at(100, 1000), at(200, 1000)), 0, T0.plusSeconds(60));
        assertThat(fastEnough.verdict()).isEqualTo(DrainVerdict.DRAINING);
        assertThat(fastEnough.estimatedSecondsLeft()).isEqualTo(8.0);
    }

    @Test
    void growingLagHasNoEstimate() {
        GroupLagEvaluation e = LagEvaluator.evaluate(group(at(0, 100), at(10, 130), at(20, 160)), 0, FAR);
        assertThat(e.status()).isEqualTo(PartitionStatus.WARN);
        assertThat(e.estimatedSecondsLeft()).isNull();
        assertThat(e.drainRatePerSecond()).isNegative();
        assertThat(e.reason()).contains("not falling");
    }
}
