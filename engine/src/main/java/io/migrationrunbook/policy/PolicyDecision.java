package io.migrationrunbook.policy;

import java.util.List;
import java.util.Set;

/**
 * What the release policy decided.
 *
 * @param allowed            the release may run now (no refusal, and approval given where needed)
 * @param refusals           why it is refused; fixing them means changing the release, not approving it
 * @param needsApproval      a human must approve (breaking changes by default)
 * @param approved           that approval was given (--approve-breaking, Jenkins input)
 * @param approvalReasons    what needs approving
 * @param consumersMustPause pause consumers around the migration; false: skip the pause, window zero
 * @param pauseReasons       the changes that need the pause
 * @param classes            the release's change classes
 */
public record PolicyDecision(boolean allowed, List<String> refusals, boolean needsApproval, boolean approved,
                             List<String> approvalReasons, boolean consumersMustPause, List<String> pauseReasons,
                             Set<ChangeClass> classes) {

    /** One line for humans: "allowed", "refused: ...", "needs approval: ...". */
    public String headline() {
        if (!refusals.isEmpty()) {
            return "REFUSED: " + String.join("; ", refusals);
        }
        if (needsApproval && !approved) {
            return "NEEDS APPROVAL: " + String.join("; ", approvalReasons);
        }
        return needsApproval ? "ALLOWED (approved)" : "ALLOWED";
    }
}
