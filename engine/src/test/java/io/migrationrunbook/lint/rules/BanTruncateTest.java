package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class BanTruncateTest {

    private static final String ID = BanTruncate.ID;

    @Test
    void truncateExistingTable() {
        assertThat(findings(lint("TRUNCATE TABLE sessions RESTART IDENTITY CASCADE;"), ID)).singleElement()
                .matches(f -> f.message().contains("CASCADE"));
    }

    @Test
    void truncateOfATableCreatedInTheFileIsFine() {
        assertThat(findings(lint("CREATE TABLE staging (id int); TRUNCATE staging;"), ID)).isEmpty();
    }
}
