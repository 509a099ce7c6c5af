package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropColumnTest {

    private static final String ID = BanDropColumn.ID;

    @Test
    void dropColumn() {
        assertThat(findings(lint("ALTER TABLE users DROP COLUMN IF EXISTS legacy CASCADE;"), ID)).hasSize(1);
    }

    @Test
    void dropConstraintIsNotADropColumn() {
        assertThat(findings(lint("ALTER TABLE users DROP CONSTRAINT users_fk;"), ID)).isEmpty();
    }
}
