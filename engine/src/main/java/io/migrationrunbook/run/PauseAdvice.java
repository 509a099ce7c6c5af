package io.migrationrunbook.run;

/**
 * Whether the release must pause the consumers, and why: the guide pauses them only "for schema changes that affect
 * write operations"; a purely additive, non-locking release keeps event processing running.
 *
 * @param pause    consumers must be paused around the migration
 * @param why      one sentence for the report (also the reason of a skipped pause)
 * @param details  the classification behind it, for the report
 */
public record PauseAdvice(boolean pause, String why, Object details) {
}
