package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentIndexInTransactionTest {

    private static final String ID = ConcurrentIndexInTransaction.ID;

    @Test
    void insideAnExplicitTransactionOrAFlywayTransaction() {
        assertThat(findings(lint("BEGIN; CREATE INDEX CONCURRENTLY i ON orders (a); COMMIT;"), ID)).isNotEmpty();
        // Flyway does not detect REINDEX ... CONCURRENTLY: the file runs in a transaction and PostgreSQL refuses it
        assertThat(findings(lint("REINDEX INDEX CONCURRENTLY orders_pkey;"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;"), ID)).hasSize(1);
    }

    @Test
    void mixingWithOtherStatementsIsReported() {
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN a int; CREATE INDEX CONCURRENTLY i ON orders (a);"), ID))
                .singleElement().matches(f -> f.message().contains("Flyway refuses"));
    }

    @Test
    void aConcurrentIndexAloneIsFine() {
        assertThat(findings(lint("SET lock_timeout = '5s'; CREATE INDEX CONCURRENTLY i ON orders (a);"), ID)).isEmpty();
        assertThat(findings(lint("DROP INDEX CONCURRENTLY i;"), ID)).isEmpty();
    }
}
