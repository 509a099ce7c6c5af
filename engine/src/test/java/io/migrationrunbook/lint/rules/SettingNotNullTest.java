package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class SettingNotNullTest {

    private static final String ID = SettingNotNull.ID;

    @Test
    void setNotNullOnExistingTable() {
        assertThat(findings(lint("ALTER TABLE orders ALTER COLUMN status SET NOT NULL;"), ID)).hasSize(1);
    }

    @Test
    void dropNotNullAndNewTablesAreFine() {
        assertThat(findings(lint("ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;"), ID)).isEmpty();
        assertThat(findings(lint("CREATE TABLE o (s text); ALTER TABLE o ALTER COLUMN s SET NOT NULL;"), ID)).isEmpty();
    }
}
