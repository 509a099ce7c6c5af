package io.migrationrunbook.consumers;

import java.util.List;

/**
 * Drives one service's own way of pausing its Kafka consumers. Kafka has no API to pause another application's
 * consumers, so a controller only asks; {@link PauseConsumers} proves the effect from the Kafka side. Implementations
 * must make {@link #pause()} and {@link #resume()} idempotent: a resume after a crash may repeat one already done.
 */
public interface ConsumerController {

    /** The name from the configuration, unique in it. */
    String name();

    /** {@code http}, {@code kafka-connect} or {@code manual}. */
    String type();

    /** The consumer groups this controller pauses. */
    List<String> groups();

    /** Asks the consumers to pause; throws a RunbookException when the request itself fails. */
    void pause();

    /** Asks the consumers to resume; throws a RunbookException when the request itself fails. */
    void resume();

    /** What the controller reports now; never throws (a failing probe is UNKNOWN with the reason). */
    ControllerStatus status();
}
