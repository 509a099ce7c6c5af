package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropViewTest {

    private static final String ID = BanDropView.ID;

    @Test
    void droppingAViewOrMaterializedViewIsAnError() {
        assertThat(findings(lint("DROP VIEW IF EXISTS active_users, reporting.totals CASCADE;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.ERROR && f.message().contains("view active_users, reporting.totals with CASCADE")
                        && f.message().contains("views built on it"));
        assertThat(findings(lint("DROP MATERIALIZED VIEW order_stats;"), ID)).singleElement()
                .matches(f -> f.message().contains("materialized view order_stats"));
    }

    @Test
    void squawkNameSuppressesIt() {
        assertThat(findings(lint("-- squawk-ignore ban-drop-view\nDROP VIEW v;"), ID)).isEmpty();
    }

    @Test
    void aViewCreatedEarlierInTheFileOrATableIsNotReported() {
        assertThat(findings(lint("CREATE VIEW tmp AS SELECT 1; DROP VIEW tmp;"), ID)).isEmpty();
        assertThat(findings(lint("DROP TABLE users;"), ID)).isEmpty();
        // CREATE OR REPLACE may have replaced the existing view: its drop is still reported
        assertThat(findings(lint("CREATE OR REPLACE VIEW v AS SELECT 1; DROP VIEW v;"), ID)).hasSize(1);
    }

    @Test
    void droppedAndCreatedAgainInTheSameTransactionIsAWarning() {
        assertThat(findings(lint("DROP VIEW IF EXISTS active_users;\nCREATE VIEW active_users AS SELECT id FROM users;"), ID))
                .singleElement().matches(f -> f.severity() == Severity.WARNING && f.message().contains("line 2"));
        // outside a transaction readers see the gap: still an error
        assertThat(findings(lint("DROP VIEW active_users;\nCREATE VIEW active_users AS SELECT 1;\n"
                + "CREATE INDEX CONCURRENTLY ix ON users (id);"), ID))
                .singleElement().matches(f -> f.severity() == Severity.ERROR);
    }
}
