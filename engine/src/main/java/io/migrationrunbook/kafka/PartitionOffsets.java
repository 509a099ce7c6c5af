package io.migrationrunbook.kafka;

/**
 * One partition of a consumer group at one moment.
 *
 * @param committed the group's committed offset, null when it never committed on this partition
 * @param logEnd    the log-end offset (last stable offset: read_committed)
 * @param lag       log end minus committed (log end when nothing was committed), never negative
 * @param assigned  whether a group member owns the partition right now
 */
public record PartitionOffsets(String topic, int partition, Long committed, long logEnd, long lag, boolean assigned) {

    public static PartitionOffsets of(String topic, int partition, Long committed, long logEnd, boolean assigned) {
        long lag = committed == null ? logEnd : Math.max(0, logEnd - committed);
        return new PartitionOffsets(topic, partition, committed, logEnd, lag, assigned);
    }

    /** {@code topic-partition}, as Kafka tools print it. */
    public String key() {
        return topic + "-" + partition;
    }
}
