package io.migrationrunbook.consumers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code pauseConsumers} did. {@code passed}: every group is proven paused and the baseline is recorded in the
 * state file. When not passed, the consumers were resumed (best effort, see {@code resumeErrors}) and the groups say
 * what was seen — except for NOT_ADOPTED, where this call paused nothing and so resumed nothing.
 *
 * @param outcome     PAUSED, NOT_VERIFIED, ADOPTED (a previous run's pause taken over) or NOT_ADOPTED
 * @param requestedAt when the pause was requested; for ADOPTED/NOT_ADOPTED the original pause's time
 * @param verifiedAt  when the pause (or, for ADOPTED, that it still holds) was verified
 * @param adopted     for ADOPTED and NOT_ADOPTED: the pause taken over; null otherwise
 */
public record PauseResult(boolean passed, String outcome, String reason, String stateFile, Instant requestedAt,
                          Instant verifiedAt, Duration elapsed, List<GroupVerification> groups, boolean resumedAfterFailure,
                          List<String> resumeErrors, Adoption adopted) {

    /**
     * A pause a previous run left, taken over by this one.
     *
     * @param stateFile        the state file it came from
     * @param previousStatus   its status before (PAUSED, or RESUME_FAILED with no controller resumed)
     * @param pausedAt         when that pause was requested: the pause window counts from here
     * @param pauseVerifiedAt  when that pause was verified: the baseline was taken then
     * @param pausedBy         who paused (a run id, {@code runbook pause}), null when the state does not say
     * @param baselineLag      per group, the total lag at that pause: still the lag check's target
     */
    public record Adoption(String stateFile, String previousStatus, Instant pausedAt, Instant pauseVerifiedAt, String pausedBy,
                           Map<String, Long> baselineLag) {
    }
}
