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

    /** {@code http}, {@code kafka-connect}, {@code kubernetes} or {@code manual}. */
    String type();

    /** The consumer groups this controller pauses. */
    List<String> groups();

    /** Asks the consumers to pause; throws a RunbookException when the request itself fails. */
    void pause();

    /** Asks the consumers to resume; throws a RunbookException when the request itself fails. */
    void resume();

    /**
     * Pauses, handing {@code remember} what only the pause can read and a resume in another process needs (a Kubernetes
     * workload's replica count) before the side effect, so the pause state holds it even if this process dies then.
     */
    default void pause(java.util.function.IntConsumer remember) {
        pause();
    }

    /** Gives back what {@link #pause(java.util.function.IntConsumer)} remembered (from the pause state), before {@link #resume()}. */
    default void restore(Integer remembered) {
    }

    /** What the controller reports now; never throws (a failing probe is UNKNOWN with the reason). */
    ControllerStatus status();
}
