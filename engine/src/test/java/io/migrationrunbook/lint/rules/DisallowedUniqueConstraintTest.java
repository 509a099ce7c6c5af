package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class DisallowedUniqueConstraintTest {

    private static final String ID = DisallowedUniqueConstraint.ID;

    @Test
    void uniqueAndPrimaryKeyBuildAnIndexUnderLock() {
        assertThat(findings(lint("ALTER TABLE orders ADD CONSTRAINT u UNIQUE (code);"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE orders ADD PRIMARY KEY (id);"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN code text UNIQUE;"), ID)).hasSize(1);
    }

    @Test
    void usingAConcurrentlyBuiltIndexIsFine() {
        assertThat(findings(lint("ALTER TABLE orders ADD CONSTRAINT u UNIQUE USING INDEX orders_code_idx;"), ID)).isEmpty();
        assertThat(findings(lint("CREATE TABLE o (id int); ALTER TABLE o ADD PRIMARY KEY (id);"), ID)).isEmpty();
    }
}
