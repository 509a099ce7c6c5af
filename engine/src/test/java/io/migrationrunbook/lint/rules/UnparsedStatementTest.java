package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class UnparsedStatementTest {

    private static final String ID = UnparsedStatement.ID;

    @Test
    void unknownStatementsAreInfoFindings() {
        assertThat(findings(lint("FROBNICATE users;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.INFO && f.message().contains("FROBNICATE"));
    }

    @Test
    void knownStatementsAreNotReported() {
        assertThat(findings(lint("GRANT SELECT ON users TO app; COMMENT ON TABLE users IS 'x'; DO $$ BEGIN END $$;"), ID)).isEmpty();
    }
}
