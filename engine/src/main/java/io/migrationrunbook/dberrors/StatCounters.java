package io.migrationrunbook.dberrors;

import java.time.Instant;

/** The error-related counters of {@code pg_stat_database} for one database at one moment. */
public record StatCounters(Instant at, long commits, long rollbacks, long deadlocks, long conflicts, long tempFiles) {
}
