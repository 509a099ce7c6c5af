package io.migrationrunbook.demo;

import java.util.List;

/**
 * What {@code GET /ops/control} answers. {@code effective} is what the consumer threads have actually applied to their
 * KafkaConsumers: {@code paused} only when every partition assigned to every consumer is paused; {@code normal}
 * when none is; {@code pausing} / {@code resuming} while the threads catch up with the request; {@code stopped} when a
 * consumer thread is not running.
 */
public record ControlStatus(
        String requested,
        String effective,
        List<String> assignedPartitions,
        List<String> pausedPartitions,
        int consumers) {

    public static final String NORMAL = "normal";
    public static final String PAUSED = "paused";

    public boolean settled() {
        return requested.equals(effective);
    }
}
