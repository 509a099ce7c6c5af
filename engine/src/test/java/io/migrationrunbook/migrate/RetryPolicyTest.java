package io.migrationrunbook.migrate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void delaysGrowExponentiallyWithJitterAndStayUnderTheCap() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            for (int retry = 1; retry <= 8; retry++) {
                long step = Math.min(1000L << (retry - 1), 30_000);
                long delay = policy.delayBeforeRetry(retry, random).toMillis();
                assertThat(delay).as("retry %d", retry).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void jitterSpreadsTheDelays() {
        Random random = new Random(7);
        long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> policy.delayBeforeRetry(3, random).toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(25);
    }
}
