package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropDatabaseTest {

    private static final String ID = BanDropDatabase.ID;

    @Test
    void dropDatabase() {
        assertThat(findings(lint("DROP DATABASE IF EXISTS old_app;"), ID)).hasSize(1);
    }

    @Test
    void dropTableIsAnotherRule() {
        assertThat(findings(lint("DROP TABLE old_app;"), ID)).isEmpty();
    }
}
