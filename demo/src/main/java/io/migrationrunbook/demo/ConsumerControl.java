package io.migrationrunbook.demo;

/**
 * The mode the operator requested through {@code PUT /ops/control}. The HTTP thread only writes it; each consumer
 * thread reads it at the top of its poll loop and in its rebalance listener and applies it to its own KafkaConsumer.
 */
final class ConsumerControl {

    private volatile boolean pausedRequested;

    boolean pausedRequested() {
        return pausedRequested;
    }

    void request(boolean paused) {
        this.pausedRequested = paused;
    }
}
