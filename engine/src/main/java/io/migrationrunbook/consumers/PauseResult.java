package io.migrationrunbook.consumers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code pauseConsumers} did. {@code passed}: every group is proven paused and the baseline is recorded in the
 * state file. When not passed, the consumers were resumed (best effort, see {@code resumeErrors}) and the groups say
 * what was seen.
 *
 * @param outcome PAUSED or NOT_VERIFIED
 */
public record PauseResult(boolean passed, String outcome, String reason, String stateFile, Instant requestedAt,
                          Instant verifiedAt, Duration elapsed, List<GroupVerification> groups, boolean resumedAfterFailure,
                          List<String> resumeErrors) {
}
