package io.migrationrunbook.consumers;

/**
 * One partition through a pause or a resume.
 *
 * @param committedBefore committed offset when the controllers were called (pause) or at pause time (resume)
 * @param committedAfter  committed offset at the end of the verification
 * @param logEnd          log-end offset at the end of the verification
 * @param lag             lag at the end of the verification
 */
public record PartitionPause(String topic, int partition, Long committedBefore, Long committedAfter, long logEnd, long lag) {
}
