package io.migrationrunbook.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code checkConsumerLag} found: passed when every group was DRAINED before the deadline.
 *
 * @param outcome  DRAINED, DEADLINE_PASSED, CANNOT_MEET_DEADLINE or REWOUND
 * @param reason   one sentence for the operator
 * @param groups   per group, the evaluation that decided it (for a drained group: the window that passed)
 */
public record LagCheckResult(boolean passed, String outcome, String reason, Instant startedAt, Duration elapsed,
                             Instant deadline, int samplesTaken, int windowSamples, Duration interval,
                             List<GroupLagEvaluation> groups) {
}
