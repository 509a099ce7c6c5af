package io.migrationrunbook.lag;

import java.time.Instant;
import java.util.List;

/**
 * One evaluation of a group's window.
 *
 * @param status                worst partition status (Burrow)
 * @param burrowStatus          Burrow's group status: OK, WARN or ERR
 * @param verdict               the runbook's verdict (DRAINED passes)
 * @param reason                why, in one sentence an operator reads
 * @param totalLagAtStart       sum of the partitions' lag at the start of the window
 * @param totalLag              sum of the partitions' lag at the end of the window
 * @param targetLag             the lag to get back under: the pre-pause baseline or the configured threshold
 * @param drainRatePerSecond    how fast the total lag fell over the window (negative: it grew)
 * @param consumeRatePerSecond  how fast the committed offsets advanced over the window
 * @param estimatedSecondsLeft  time to reach the target at the drain rate; 0 when there, null when lag is not falling
 * @param samples               how many samples the window held
 * @param windowStart           time of the first sample
 * @param windowEnd             time of the last sample
 */
public record GroupLagEvaluation(String group, PartitionStatus status, String burrowStatus, DrainVerdict verdict, String reason,
                                 long totalLagAtStart, long totalLag, long targetLag, double drainRatePerSecond,
                                 double consumeRatePerSecond, Double estimatedSecondsLeft, int samples,
                                 Instant windowStart, Instant windowEnd, List<PartitionLag> partitions) {

    public boolean drained() {
        return verdict == DrainVerdict.DRAINED;
    }
}
