package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class ConstraintMissingNotValidTest {

    private static final String ID = ConstraintMissingNotValid.ID;

    @Test
    void foreignKeyAndCheckWithoutNotValid() {
        assertThat(findings(lint("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE orders ADD CHECK (amount > 0);"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN user_id int REFERENCES users (id);"), ID))
                .singleElement().matches(f -> f.severity() == Severity.WARNING);
    }

    @Test
    void notValidThenValidateIsTheSafeForm() {
        assertThat(findings(lint("""
                ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
                ALTER TABLE orders VALIDATE CONSTRAINT fk;
                """), ID)).isEmpty();
        assertThat(findings(lint("CREATE TABLE o (id int); ALTER TABLE o ADD CHECK (id > 0);"), ID)).isEmpty();
    }
}
