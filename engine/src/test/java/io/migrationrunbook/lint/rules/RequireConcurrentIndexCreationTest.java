package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RequireConcurrentIndexCreationTest {

    private static final String ID = RequireConcurrentIndexCreation.ID;

    @Test
    void plainCreateIndexOnExistingTable() {
        assertThat(findings(lint("CREATE INDEX orders_user ON orders (user_id);"), ID)).hasSize(1);
        assertThat(findings(lint("CREATE UNIQUE INDEX ON public.orders (code);"), ID)).hasSize(1);
    }

    @Test
    void concurrentlyOrNewTableIsFine() {
        assertThat(findings(lint("CREATE INDEX CONCURRENTLY orders_user ON orders (user_id);"), ID)).isEmpty();
        assertThat(findings(lint("CREATE TABLE o (id int); CREATE INDEX o_id ON o (id);"), ID)).isEmpty();
    }
}
