package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RequireConcurrentIndexDeletionTest {

    private static final String ID = RequireConcurrentIndexDeletion.ID;

    @Test
    void plainDropIndex() {
        assertThat(findings(lint("DROP INDEX orders_user;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.WARNING);
    }

    @Test
    void concurrentlyIsFine() {
        assertThat(findings(lint("DROP INDEX CONCURRENTLY IF EXISTS orders_user;"), ID)).isEmpty();
        assertThat(findings(lint("DROP TABLE x;"), ID)).isEmpty();
    }
}
