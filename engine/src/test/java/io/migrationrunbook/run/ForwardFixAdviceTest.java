package io.migrationrunbook.run;

import io.migrationrunbook.migrate.MigrationFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the report tells the operator after a migration failed: fix in place, repair first, or add a new migration. */
class ForwardFixAdviceTest {

    private static MigrationFailure failure(Boolean transactional, Boolean rolledBack, boolean failedHistoryEntry) {
        return new MigrationFailure(MigrationFailure.Kind.SQL_ERROR, "5", "record received at", "V5__record_received_at.sql",
                "/srv/db/V5__record_received_at.sql", "ALTER TABLE ...", 5, "42P01", "relation does not exist", transactional,
                rolledBack, failedHistoryEntry, 0, "fix it");
    }

    @Test
    void aMigrationThatRolledBackIsFixedInPlaceBecauseItWasNeverApplied() {
        assertThat(PlanRunner.forwardFixAdvice(failure(true, true, false)))
                .contains("V5 (V5__record_received_at.sql) rolled back", "fix V5 (V5__record_received_at.sql) itself")
                .doesNotContain("new migration file").doesNotContain("runbook repair");
    }

    @Test
    void aMigrationThatFailedOutsideATransactionIsRepairedFirst() {
        assertThat(PlanRunner.forwardFixAdvice(failure(false, false, true)))
                .contains("ran outside a transaction", "`runbook repair`", "`runbook repair --apply`", "then fix V5");
    }

    @Test
    void withoutDetailsTheAdviceStaysForwardOnly() {
        assertThat(PlanRunner.forwardFixAdvice(null)).contains("never edit a migration that was applied");
        assertThat(PlanRunner.forwardFixAdvice(failure(true, null, false))).contains("fix V5", "never edit a migration that was applied");
    }
}
