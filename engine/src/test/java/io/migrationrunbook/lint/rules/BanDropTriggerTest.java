package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropTriggerTest {

    private static final String ID = BanDropTrigger.ID;

    @Test
    void droppingATriggerOnAnExistingTableIsAWarning() {
        assertThat(findings(lint("DROP TRIGGER IF EXISTS users_audit ON users;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.WARNING && f.message().contains("trigger users_audit"));
    }

    @Test
    void aTriggerOnANewTableOrOneCreatedAgainIsNotAnError() {
        assertThat(findings(lint("CREATE TABLE t (id int); DROP TRIGGER x ON t;"), ID)).isEmpty();
        assertThat(findings(lint("DROP TRIGGER users_audit ON users;\n"
                + "CREATE TRIGGER users_audit AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION audit_row();"), ID))
                .singleElement().matches(f -> f.message().contains("created again (line 2)"));
        // same name on another table is a different trigger
        assertThat(findings(lint("DROP TRIGGER audit ON users;\n"
                + "CREATE TRIGGER audit AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION audit_row();"), ID))
                .singleElement().matches(f -> f.message().startsWith("Dropping trigger audit"));
    }
}
