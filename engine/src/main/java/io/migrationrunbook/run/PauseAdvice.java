package io.migrationrunbook.run;

import java.util.List;

/**
 * Whether the release must pause the consumers, and why: the guide pauses them only "for schema changes that affect
 * write operations"; a purely additive, non-locking release keeps event processing running.
 *
 * @param pause     consumers must be paused around the migration
 * @param why       one sentence for the report (also the reason of a skipped pause)
 * @param details   the classification behind it, for the report
 * @param approvals what a human must approve before the release runs (breaking changes under the default policy);
 *                  empty when nothing needs approving
 */
public record PauseAdvice(boolean pause, String why, Object details, List<String> approvals) {

    public PauseAdvice {
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }

    public PauseAdvice(boolean pause, String why, Object details) {
        this(pause, why, details, List.of());
    }

    public boolean needsApproval() {
        return !approvals.isEmpty();
    }

    /** The same classification and approvals, with the pause decided otherwise (the plan says always/never, no consumers). */
    public PauseAdvice withPause(boolean value, String reason) {
        return new PauseAdvice(value, reason, details, approvals);
    }
}
