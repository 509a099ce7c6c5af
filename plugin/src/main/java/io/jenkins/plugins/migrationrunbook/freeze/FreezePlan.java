package io.jenkins.plugins.migrationrunbook.freeze;

import java.util.List;

/**
 * What a freeze will do: disable {@code toDisable}, leave {@code alreadyDisabled} alone (and never re-enable them),
 * or refuse entirely when {@code problems} is not empty.
 */
public record FreezePlan(List<String> patterns, List<String> toDisable, List<String> alreadyDisabled, List<String> problems) {

    public boolean refused() {
        return !problems.isEmpty();
    }
}
