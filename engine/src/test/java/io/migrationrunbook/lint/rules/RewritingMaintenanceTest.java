package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RewritingMaintenanceTest {

    private static final String ID = RewritingMaintenance.ID;

    @Test
    void rewritingCommands() {
        assertThat(findings(lint("VACUUM FULL users;"), ID)).hasSize(1);
        assertThat(findings(lint("CLUSTER users USING users_pkey;"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE users SET TABLESPACE fast;"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE users SET LOGGED;"), ID)).hasSize(1);
        assertThat(findings(lint("REFRESH MATERIALIZED VIEW stats;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.WARNING);
    }

    @Test
    void nonRewritingFormsAreFine() {
        assertThat(findings(lint("VACUUM ANALYZE users;"), ID)).isEmpty();
        assertThat(findings(lint("REFRESH MATERIALIZED VIEW CONCURRENTLY stats;"), ID)).isEmpty();
        assertThat(findings(lint("ANALYZE users;"), ID)).isEmpty();
    }
}
