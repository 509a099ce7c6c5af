package io.migrationrunbook.run;

import io.migrationrunbook.migrate.PendingMigration;

import java.util.List;

/** Classifies the pending release and decides whether it is allowed and whether consumers must be paused. */
@FunctionalInterface
public interface ReleaseAdvisor {

    /** Throws a CHECK_FAILED RunbookException when the release policy refuses the release. */
    PauseAdvice advise(List<PendingMigration> pending);

    /** Without a classification, the safe choice: pause. */
    static ReleaseAdvisor alwaysPause() {
        return pending -> new PauseAdvice(true, "no classification available: pausing to be safe", null);
    }
}
