package io.migrationrunbook.fleet;

import java.util.List;

/**
 * What a fleet migration did: one result per database, in the order the databases were given.
 *
 * @param totalDurationMs wall time of the whole fleet
 */
public record FleetResult(int databases, int parallelism, int succeeded, int failed, long totalDurationMs, List<MemberResult> results) {

    public boolean allSucceeded() {
        return failed == 0;
    }

    public List<MemberResult> failures() {
        return results.stream().filter(r -> !r.succeeded()).toList();
    }
}
