package io.jenkins.plugins.migrationrunbook.freeze;

import java.util.List;
import java.util.Map;

/**
 * What a freeze will do: disable {@code toDisable}; hold {@code joined} together with the other runs' freezes that
 * disabled them; take over {@code takenOver}, left disabled by freezes whose runs have ended; drop the {@code stale}
 * holds (job to holders whose run has ended) of the jobs it matched; leave {@code alreadyDisabled} (disabled by
 * someone, held by no freeze) alone and never re-enable them; or refuse entirely when {@code problems} is not empty.
 */
public record FreezePlan(List<String> patterns, List<String> toDisable, List<String> alreadyDisabled, List<String> joined,
        List<String> takenOver, Map<String, List<FreezeHolds.Holder>> stale, List<String> problems) {

    public boolean refused() {
        return !problems.isEmpty();
    }
}
