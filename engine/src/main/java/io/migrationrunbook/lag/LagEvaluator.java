package io.migrationrunbook.lag;

import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.PartitionOffsets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook's lag rule over a recorded window of one group's snapshots. Pure: no clock, no I/O.
 *
 * <p>Burrow calls a partition OK after a single decrease of lag, which is too weak for "back to normal after a
 * migration". A group is DRAINED only when, at the end of the window:
 * <ul>
 *   <li>no partition is REWIND, STOP or STALL;</li>
 *   <li>the total lag is at or under the target (the pre-pause baseline, or a configured threshold);</li>
 *   <li>and the drain is visible: total lag is zero; or it fell over the window while every partition that had lag
 *       at the start advanced its committed offset; or it stayed at or under the target in every sample while those
 *       partitions advanced (a consumer that keeps up with constant traffic never shows a falling total).</li>
 * </ul>
 * Otherwise the time left is estimated as (lag - target) / drain rate; when that overshoots the deadline and the
 * window holds at least {@link #MIN_SAMPLES_FOR_ESTIMATE} samples, the verdict is CANNOT_MEET_DEADLINE so the check
 * fails early instead of at the deadline.
 */
public final class LagEvaluator {

    public static final int MIN_SAMPLES_FOR_ESTIMATE = 3;

    private LagEvaluator() {
    }

    /**
     * @param window    the group's snapshots, oldest first (at least one)
     * @param targetLag the total lag to get back under
     * @param deadline  when the lag must be under the target
     */
    public static GroupLagEvaluation evaluate(List<GroupSnapshot> window, long targetLag, Instant deadline) {
        if (window.isEmpty()) {
            throw new IllegalArgumentException("An evaluation needs at least one snapshot");
        }
        GroupSnapshot first = window.get(0);
        GroupSnapshot last = window.get(window.size() - 1);

        Map<String, List<PartitionOffsets>> byPartition = new LinkedHashMap<>();
        for (GroupSnapshot snapshot : window) {
            for (PartitionOffsets p : snapshot.partitions()) {
                byPartition.computeIfAbsent(p.key(), k -> new ArrayList<>(window.size())).add(p);
            }
        }
        // Only partitions present at the end count: a partition that disappeared (topic deleted) has nothing to drain.
        Map<String, PartitionOffsets> current = last.byKey();

        List<PartitionLag> partitions = new ArrayList<>(current.size());
        List<PartitionStatus> statuses = new ArrayList<>(current.size());
        long totalStart = 0;
        long totalEnd = 0;
        long consumedTotal = 0;
        boolean everyLaggingPartitionAdvanced = true;
        List<String> rewinds = new ArrayList<>();
        for (Map.Entry<String, PartitionOffsets> entry : current.entrySet()) {
            List<PartitionOffsets> samples = byPartition.get(entry.getKey());
            PartitionOffsets start = samples.get(0);
            PartitionOffsets end = entry.getValue();
            PartitionStatus status = BurrowRules.evaluate(samples);
            long[] rewind = BurrowRules.rewind(samples);
            if (rewind != null) {
                rewinds.add(entry.getKey() + " from " + rewind[0] + " to " + rewind[1]);
            }
            long consumed = consumed(start.committed(), end.committed());
            if (start.lag() > 0 && consumed <= 0) {
                everyLaggingPartitionAdvanced = false;
            }
            totalStart += start.lag();
            totalEnd += end.lag();
            consumedTotal += Math.max(0, consumed);
            statuses.add(status);
            partitions.add(new PartitionLag(end.topic(), end.partition(), end.committed(), end.logEnd(), end.lag(), start.lag(),
                    consumed, status));
        }
        boolean underTargetThroughout = true;
        for (GroupSnapshot snapshot : window) {
            if (snapshot.totalLag() > targetLag) {
                underTargetThroughout = false;
                break;
            }
        }

        PartitionStatus worst = PartitionStatus.worst(statuses);
        double seconds = Math.max(0.001, Duration.between(first.at(), last.at()).toMillis() / 1000.0);
        double drainRate = window.size() < 2 ? 0 : (totalStart - totalEnd) / seconds;
        double consumeRate = window.size() < 2 ? 0 : consumedTotal / seconds;
        Double secondsLeft = totalEnd <= targetLag ? Double.valueOf(0) : drainRate > 0 ? (totalEnd - targetLag) / drainRate : null;

        DrainVerdict verdict;
        String reason;
        if (worst == PartitionStatus.REWIND) {
            verdict = DrainVerdict.REWOUND;
            reason = "committed offsets went backwards on " + rewinds.size() + " partition(s) (" + String.join(", ", rewinds)
                    + "): the group was reset or is replaying; check before going on";
        } else if (totalEnd <= targetLag && !worst.isError() && totalEnd == 0) {
            verdict = DrainVerdict.DRAINED;
            reason = "no lag left";
        } else if (totalEnd <= targetLag && !worst.isError() && window.size() >= 2 && everyLaggingPartitionAdvanced
                && (totalEnd < totalStart || underTargetThroughout)) {
            verdict = DrainVerdict.DRAINED;
            reason = totalEnd < totalStart
                    ? "lag fell from " + totalStart + " to " + totalEnd + " (target " + targetLag + ") with offsets advancing"
                    : "lag stayed at or under the target " + targetLag + " over the window with offsets advancing";
        } else {
            long secondsToDeadline = Duration.between(last.at(), deadline).toSeconds();
            boolean estimateOvershoots = secondsLeft != null && secondsLeft > Math.max(0, secondsToDeadline);
            if (estimateOvershoots && window.size() >= MIN_SAMPLES_FOR_ESTIMATE) {
                verdict = DrainVerdict.CANNOT_MEET_DEADLINE;
                reason = String.format("at %.1f msg/s the lag of %d needs about %.0f s to reach %d, but the deadline is in %d s",
                        drainRate, totalEnd, secondsLeft, targetLag, Math.max(0, secondsToDeadline));
            } else {
                verdict = DrainVerdict.DRAINING;
                reason = drainingReason(worst, partitions, totalStart, totalEnd, targetLag, secondsLeft, everyLaggingPartitionAdvanced);
            }
        }
        return new GroupLagEvaluation(last.group(), worst, worst.burrowGroupStatus(), verdict, reason, totalStart, totalEnd,
                targetLag, round(drainRate), round(consumeRate), secondsLeft == null ? null : round(secondsLeft), window.size(),
                first.at(), last.at(), partitions);
    }

    private static String drainingReason(PartitionStatus worst, List<PartitionLag> partitions, long totalStart, long totalEnd,
                                         long target, Double secondsLeft, boolean advanced) {
        if (worst.isError()) {
            return count(partitions, worst) + " partition(s) " + worst + (worst == PartitionStatus.STOP
                    ? " (no member owns them and their offsets do not move)" : " (a member owns them but their offsets do not move)");
        }
        if (totalEnd > target) {
            return "lag " + totalEnd + " is above the target " + target
                    + (secondsLeft == null ? " and not falling (was " + totalStart + ")" : String.format(", about %.0f s left at the current rate", secondsLeft));
        }
        if (!advanced) {
            return "lag " + totalEnd + " is under the target " + target + " but some partitions with lag did not advance yet";
        }
        return "lag " + totalEnd + " is under the target " + target + " but the drain is not visible in the window yet";
    }

    private static long consumed(Long start, Long end) {
        if (end == null) {
            return 0;
        }
        return end - (start == null ? 0 : start);
    }

    private static long count(List<PartitionLag> partitions, PartitionStatus status) {
        return partitions.stream().filter(p -> p.status() == status).count();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
