package io.migrationrunbook.lag;

import java.util.Collection;

/**
 * Burrow's partition statuses, from best to worst: the order is the severity, so a group's status is its worst
 * partition's.
 */
public enum PartitionStatus {
    /** Lag reached zero in the window, or fell while offsets advanced. */
    OK,
    /** Offsets advance but lag never fell: the consumer is slower than the producers. */
    WARN,
    /** A member owns the partition, there is lag, and the committed offset did not move in the whole window. */
    STALL,
    /** Nobody owns the partition, there is lag, and the committed offset did not move: the consumer is gone. */
    STOP,
    /** The committed offset went backwards: a reset or a replay. */
    REWIND;

    public boolean isError() {
        return ordinal() >= STALL.ordinal();
    }

    /** Burrow's group status: OK, WARN or ERR. */
    public String burrowGroupStatus() {
        return isError() ? "ERR" : name();
    }

    public static PartitionStatus worst(Collection<PartitionStatus> statuses) {
        PartitionStatus worst = OK;
        for (PartitionStatus status : statuses) {
            if (status.ordinal() > worst.ordinal()) {
                worst = status;
            }
        }
        return worst;
    }
}
