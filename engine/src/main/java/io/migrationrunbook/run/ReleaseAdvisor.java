package io.migrationrunbook.run;

import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.migrate.PendingMigration;

import java.util.List;
import java.util.Map;

/** Classifies the pending release and decides whether it is allowed and whether consumers must be paused. */
@FunctionalInterface
public interface ReleaseAdvisor {

    /** Throws a CHECK_FAILED RunbookException when the release policy refuses the release. */
    PauseAdvice advise(List<PendingMigration> pending);

    /**
     * The same with the target at hand (row estimates and existing tables sharpen the classification). The runner calls
     * this one; by default it ignores the target.
     */
    default PauseAdvice advise(DatabaseTarget target, List<PendingMigration> pending) {
        return advise(pending);
    }

    /**
     * The same with the Flyway placeholder values the migration will run with (the classification reads the SQL as
     * Flyway will run it). The runner calls this one; by default it ignores the placeholders.
     */
    default PauseAdvice advise(DatabaseTarget target, List<PendingMigration> pending, Map<String, String> placeholders) {
        return advise(target, pending);
    }

    /** Without a classification, the safe choice: pause. */
    static ReleaseAdvisor alwaysPause() {
        return pending -> new PauseAdvice(true, "no classification available: pausing to be safe", null);
    }
}
