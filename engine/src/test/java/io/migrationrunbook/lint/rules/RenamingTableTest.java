package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RenamingTableTest {

    private static final String ID = RenamingTable.ID;

    @Test
    void renameTableAndSetSchema() {
        assertThat(findings(lint("ALTER TABLE users RENAME TO customers;"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE users SET SCHEMA archive;"), ID)).hasSize(1);
    }

    @Test
    void renamingATableCreatedInTheSameFileIsFine() {
        assertThat(findings(lint("CREATE TABLE tmp (id int); ALTER TABLE tmp RENAME TO final;"), ID)).isEmpty();
        assertThat(findings(lint("ALTER TABLE users RENAME COLUMN a TO b;"), ID)).isEmpty();
    }
}
