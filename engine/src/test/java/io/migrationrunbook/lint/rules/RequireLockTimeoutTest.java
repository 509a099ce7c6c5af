package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RequireLockTimeoutTest {

    private static final String ID = RequireLockTimeout.ID;

    @Test
    void offByDefaultBecauseMigrateSetsTheTimeouts() {
        assertThat(findings(lint("ALTER TABLE users ADD COLUMN a int;"), ID)).isEmpty();
    }

    @Test
    void whenEnabledItWantsASetBeforeTheFirstDdl() {
        io.migrationrunbook.lint.LintSettings on = io.migrationrunbook.lint.LintSettings.defaults()
                .withEnabledRules(java.util.Set.of(ID));
        assertThat(findings(lint("ALTER TABLE users ADD COLUMN a int;", on), ID)).hasSize(1);
        assertThat(findings(lint("SET lock_timeout = '2s'; ALTER TABLE users ADD COLUMN a int;", on), ID)).isEmpty();
    }
}
