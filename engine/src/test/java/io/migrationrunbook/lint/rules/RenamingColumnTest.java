package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RenamingColumnTest {

    private static final String ID = RenamingColumn.ID;

    @Test
    void renameColumn() {
        assertThat(findings(lint("ALTER TABLE users RENAME COLUMN name TO full_name;"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE users RENAME name TO full_name;"), ID)).hasSize(1);
    }

    @Test
    void renameConstraintOrNewTableIsFine() {
        assertThat(findings(lint("ALTER TABLE users RENAME CONSTRAINT a TO b;"), ID)).isEmpty();
        assertThat(findings(lint("CREATE TABLE u (n text); ALTER TABLE u RENAME COLUMN n TO m;"), ID)).isEmpty();
    }
}
