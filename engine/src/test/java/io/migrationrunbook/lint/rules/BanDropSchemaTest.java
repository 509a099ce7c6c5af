package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropSchemaTest {

    private static final String ID = BanDropSchema.ID;

    @Test
    void dropSchema() {
        assertThat(findings(lint("DROP SCHEMA legacy CASCADE;"), ID)).hasSize(1);
    }

    @Test
    void createSchemaIsFine() {
        assertThat(findings(lint("CREATE SCHEMA IF NOT EXISTS reporting;"), ID)).isEmpty();
    }
}
