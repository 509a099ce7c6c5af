package io.migrationrunbook.consumers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code resumeConsumers} did. {@code passed}: every group is proven consuming again (or was already resumed).
 *
 * @param outcome        RESUMED, ALREADY_RESUMED or NOT_VERIFIED
 * @param pauseWindow    from pause requested to resume verified: how long event processing was held
 * @param baselineLag    per group, the total lag at pause time (the lag check's target)
 */
public record ResumeResult(boolean passed, String outcome, String reason, String stateFile, Instant requestedAt,
                           Instant verifiedAt, Duration elapsed, Duration pauseWindow, Map<String, Long> baselineLag,
                           List<GroupVerification> groups) {
}
