package io.migrationrunbook.lag;

/** What one evaluation of a group's window concludes under the runbook's rule (stronger than Burrow's OK). */
public enum DrainVerdict {
    /** Lag at or under the target, no partition in error, and the drain was seen (see {@link LagEvaluator}). */
    DRAINED,
    /** Not there yet, and the deadline can still be met as far as the drain rate tells. */
    DRAINING,
    /** At the measured drain rate the lag cannot reach the target before the deadline: fail now, not at the deadline. */
    CANNOT_MEET_DEADLINE,
    /** A committed offset went backwards: someone reset or replayed the group; a human must look. */
    REWOUND;

    public boolean isFinalFailure() {
        return this == CANNOT_MEET_DEADLINE || this == REWOUND;
    }
}
