package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class AddingRequiredFieldTest {

    private static final String ID = AddingRequiredField.ID;

    @Test
    void notNullWithoutDefaultOnExistingTable() {
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN status text NOT NULL;"), ID)).hasSize(1);
    }

    @Test
    void defaultNullableOrNewTableIsFine() {
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';"), ID)).isEmpty();
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN status text;"), ID)).isEmpty();
        assertThat(findings(lint("CREATE TABLE o (id int); ALTER TABLE o ADD COLUMN s text NOT NULL;"), ID)).isEmpty();
    }
}
