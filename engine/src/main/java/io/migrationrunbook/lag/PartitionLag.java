package io.migrationrunbook.lag;

/**
 * One partition at the end of an evaluated window.
 *
 * @param committed      committed offset at the end of the window (null: never committed)
 * @param logEnd         log-end offset at the end of the window
 * @param lag            lag at the end of the window
 * @param lagAtStart     lag at the start of the window
 * @param consumed       how far the committed offset moved during the window
 * @param status         Burrow's status over the window
 */
public record PartitionLag(String topic, int partition, Long committed, long logEnd, long lag, long lagAtStart,
                           long consumed, PartitionStatus status) {
}
