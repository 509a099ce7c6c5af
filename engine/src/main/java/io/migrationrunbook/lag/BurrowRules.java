package io.migrationrunbook.lag;

import io.migrationrunbook.kafka.PartitionOffsets;

import java.util.List;
import java.util.Objects;

/**
 * Burrow's partition rules (linkedin/Burrow, evaluator), adapted to sampled offsets. Burrow sees every commit with
 * its timestamp and calls a partition STOPped when its last commit is older than the window's span; the AdminClient
 * shows neither commit times nor repeated commits of the same offset, so here STOP means "the offset is frozen and
 * no member owns the partition" and STALL "frozen although a member owns it". Pure: a recorded window in, a status out.
 */
public final class BurrowRules {

    private BurrowRules() {
    }

    /**
     * The first step back of the committed offset in one partition's window: {@code {from, to}}, or null when it
     * never went backwards (samples without a committed offset are skipped).
     */
    public static long[] rewind(List<PartitionOffsets> window) {
        Long previous = null;
        for (PartitionOffsets sample : window) {
            Long committed = sample.committed();
            if (previous != null && committed != null && committed < previous) {
                return new long[]{previous, committed};
            }
            if (committed != null) {
                previous = committed;
            }
        }
        return null;
    }

    /** @param window one partition's samples, oldest first */
    public static PartitionStatus evaluate(List<PartitionOffsets> window) {
        if (window.isEmpty()) {
            return PartitionStatus.OK;
        }
        // Rule 2 before rule 1, unlike Burrow: a committed offset that went backwards is REWIND even when the lag
        // touched zero in the window. Burrow lets "caught up at some point" win, so a drained group reset to an
        // earlier offset (a replay) would read OK and then drain again; the runbook's rule is "no REWIND".
        if (rewind(window) != null) {
            return PartitionStatus.REWIND;
        }
        // Rule 1: lag zero anywhere in the window -> the consumer caught up at some point.
        for (PartitionOffsets sample : window) {
            if (sample.lag() == 0) {
                return PartitionStatus.OK;
            }
        }
        boolean frozen = true;
        Long first = window.get(0).committed();
        for (PartitionOffsets sample : window) {
            if (!Objects.equals(first, sample.committed())) {
                frozen = false;
                break;
            }
        }
        if (frozen) {
            // Rules 3 and 4: frozen with lag -> STOP when nobody owns the partition, STALL when a member does.
            return window.get(window.size() - 1).assigned() ? PartitionStatus.STALL : PartitionStatus.STOP;
        }
        // Rule 5: offsets advanced but the lag never fell between two samples -> WARN.
        boolean fell = false;
        for (int i = 1; i < window.size(); i++) {
            if (window.get(i).lag() < window.get(i - 1).lag()) {
                fell = true;
                break;
            }
        }
        return fell ? PartitionStatus.OK : PartitionStatus.WARN;
    }
}
