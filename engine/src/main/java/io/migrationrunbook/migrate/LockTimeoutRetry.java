package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The one lock-timeout retry loop: runs an attempt, and again after each failure the caller calls retryable (a lock
 * timeout, SQLSTATE 55P03, whose effects rolled back or are safe to repeat), waiting the {@link RetryPolicy}'s backoff in
 * between and reporting each retry. Migrate uses it for migrations, repair for {@code DROP INDEX CONCURRENTLY} and the
 * history row deletion, so both keep the same discipline: no statement queues behind a long transaction for longer than
 * the lock timeout, and waiting happens between attempts, where writers are not blocked.
 */
final class LockTimeoutRetry {

    /**
     * A failure that may be tried again.
     *
     * @param label        what failed, as the progress line names it ({@code V2 "add index"})
     * @param what         what happened to its work ({@code rolled back: another transaction holds a lock on its table})
     * @param retriesSoFar retries already made for it
     * @param onRetry      called before each retry (e.g. to count it)
     */
    record Retryable(String label, String what, int retriesSoFar, Runnable onRetry) {
    }

    private final RetryPolicy policy;
    private final Duration lockTimeout;
    private final RandomGenerator random;
    private final Progress progress;

    LockTimeoutRetry(MigrationSettings settings, RandomGenerator random, Progress progress) {
        this.policy = settings.retryPolicy();
        this.lockTimeout = settings.lockTimeout();
        this.random = random;
        this.progress = progress;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails with an exception {@code retryable} maps to null, or is out of retries;
     * the last exception is rethrown as it came.
     */
    <T> T run(Callable<T> attempt, Function<Exception, Retryable> retryable) throws Exception {
        while (true) {
            try {
                return attempt.call();
            } catch (Exception e) {
                Retryable retry = retryable.apply(e);
                if (retry == null || retry.retriesSoFar() >= policy.retries()) {
                    throw e;
                }
                Duration delay = policy.delayBeforeRetry(retry.retriesSoFar() + 1, random);
                retry.onRetry().run();
                progress.report("%s hit the lock timeout (%s, SQLSTATE 55P03) and %s. Retry %d of %d in %s", retry.label(),
                        Progress.format(lockTimeout), retry.what(), retry.retriesSoFar() + 1, policy.retries(), Progress.format(delay));
                sleep(delay);
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted while waiting to retry after a lock timeout; nothing half-applied remains: run the command "
                    + "again when it may continue.");
        }
    }
}
