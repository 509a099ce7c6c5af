package io.migrationrunbook.migrate;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a migration that failed on a lock timeout is tried again: up to {@code retries} times, waiting an exponentially
 * growing delay with jitter in between. The jitter spreads retries of several runners (a fleet migrating many
 * databases, or two pipelines) so they do not line up behind the same long transaction again.
 */
public record RetryPolicy(int retries, Duration baseDelay, Duration maxDelay) {

    /**
     * The wait before retry number {@code retry} (1-based): the exponential step {@code base * 2^(retry-1)}, capped at
     * {@code maxDelay}, then "equal jitter": half of it fixed, the other half random. Never less than half the step,
     * so backoff still grows; never more than the cap.
     */
    public Duration delayBeforeRetry(int retry, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is 1-based, got " + retry);
        }
        long base = baseDelay.toMillis();
        long step = base;
        for (int i = 1; i < retry && step < maxDelay.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, maxDelay.toMillis());
        long half = step / 2;
        long jitter = half == 0 ? 0 : random.nextLong(step - half + 1);
        return Duration.ofMillis(half + jitter);
    }
}
