package io.migrationrunbook.demo;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters of the persistence consumers, served by {@code GET /ops/stats}. Thread-safe. */
public final class ServiceStats {

    /** What {@code GET /ops/stats} returns. */
    public record Snapshot(
            long eventsIngested,
            long recordsConsumed,
            long eventsProcessed,
            long duplicatesSkipped,
            long invalidRecords,
            long databaseFailures,
            long offsetCommitFailures,
            String lastError,
            Instant lastErrorAt) {
    }

    private final AtomicLong eventsIngested = new AtomicLong();
    private final AtomicLong recordsConsumed = new AtomicLong();
    private final AtomicLong eventsProcessed = new AtomicLong();
    private final AtomicLong duplicatesSkipped = new AtomicLong();
    private final AtomicLong invalidRecords = new AtomicLong();
    private final AtomicLong databaseFailures = new AtomicLong();
    private final AtomicLong offsetCommitFailures = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastErrorAt = new AtomicReference<>();

    void ingested() {
        eventsIngested.incrementAndGet();
    }

    void batchCommitted(int consumed, int processed, int duplicates, int invalid) {
        recordsConsumed.addAndGet(consumed);
        eventsProcessed.addAndGet(processed);
        duplicatesSkipped.addAndGet(duplicates);
        invalidRecords.addAndGet(invalid);
    }

    void databaseFailure(String message) {
        databaseFailures.incrementAndGet();
        error(message);
    }

    void offsetCommitFailure(String message) {
        offsetCommitFailures.incrementAndGet();
        error(message);
    }

    void error(String message) {
        lastError.set(message);
        lastErrorAt.set(Instant.now());
    }

    public Snapshot snapshot() {
        return new Snapshot(eventsIngested.get(), recordsConsumed.get(), eventsProcessed.get(), duplicatesSkipped.get(),
                invalidRecords.get(), databaseFailures.get(), offsetCommitFailures.get(), lastError.get(), lastErrorAt.get());
    }
}
