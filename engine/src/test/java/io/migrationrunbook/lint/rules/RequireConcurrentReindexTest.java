package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RequireConcurrentReindexTest {

    private static final String ID = RequireConcurrentReindex.ID;

    @Test
    void plainReindex() {
        assertThat(findings(lint("REINDEX TABLE users;"), ID)).hasSize(1);
        assertThat(findings(lint("REINDEX INDEX users_pkey;"), ID)).hasSize(1);
    }

    @Test
    void concurrentReindexIsFine() {
        assertThat(findings(lint("REINDEX INDEX CONCURRENTLY users_pkey;"), ID)).isEmpty();
        assertThat(findings(lint("REINDEX (CONCURRENTLY) TABLE users;"), ID)).isEmpty();
    }
}
