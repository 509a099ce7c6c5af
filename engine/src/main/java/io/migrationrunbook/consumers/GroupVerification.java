package io.migrationrunbook.consumers;

import java.util.List;

/**
 * One consumer group's verification: what the controller said, what Kafka showed, and the verdict.
 *
 * @param state            the group's state at the end (STABLE, EMPTY, ...)
 * @param controllerStatus PAUSED, RUNNING, UNKNOWN or NOT_REPORTED
 * @param verified         whether the pause (or resume) was proven from the Kafka side
 * @param reason           why, in one sentence
 */
public record GroupVerification(String group, String controller, String controllerStatus, String controllerDetail, String state,
                                int members, boolean verified, String reason, long totalLag, List<PartitionPause> partitions) {
}
