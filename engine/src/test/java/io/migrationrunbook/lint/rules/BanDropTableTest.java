package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropTableTest {

    private static final String ID = BanDropTable.ID;

    @Test
    void dropExistingTable() {
        assertThat(findings(lint("DROP TABLE IF EXISTS users, orders CASCADE;"), ID)).singleElement()
                .matches(f -> f.message().contains("users, orders with CASCADE"));
    }

    @Test
    void droppingATableCreatedInTheSameFileOrAViewIsFine() {
        assertThat(findings(lint("CREATE TABLE tmp (id int); DROP TABLE tmp;"), ID)).isEmpty();
        assertThat(findings(lint("DROP VIEW v;"), ID)).isEmpty();
    }
}
