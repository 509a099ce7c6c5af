package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class MixedDdlDmlTest {

    private static final String ID = MixedDdlDml.ID;

    @Test
    void schemaAndDataChangesInOneFile() {
        assertThat(findings(lint("ALTER TABLE users ADD COLUMN tier text; UPDATE users SET tier = 'gold' WHERE id = 1;"), ID))
                .singleElement().matches(f -> f.line() == 1);
    }

    @Test
    void seedingANewTableOrPureDataIsFine() {
        assertThat(findings(lint("CREATE TABLE tiers (name text); INSERT INTO tiers VALUES ('gold');"), ID)).isEmpty();
        assertThat(findings(lint("UPDATE users SET tier = 'gold' WHERE id = 1;"), ID)).isEmpty();
    }
}
