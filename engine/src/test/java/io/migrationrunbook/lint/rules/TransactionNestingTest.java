package io.migrationrunbook.lint.rules;

import org.junit.jupiter.api.Test;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class TransactionNestingTest {

    private static final String ID = TransactionNesting.ID;

    @Test
    void explicitTransactionControlInAFlywayFile() {
        assertThat(findings(lint("BEGIN; ALTER TABLE users ADD COLUMN a int; COMMIT;"), ID)).hasSize(2);
    }

    @Test
    void noTransactionControlOrANonTransactionalFileIsFine() {
        assertThat(findings(lint("ALTER TABLE users ADD COLUMN a int;"), ID)).isEmpty();
        // Flyway runs a file with CREATE INDEX CONCURRENTLY without a transaction: explicit blocks are the author's own
        assertThat(findings(lint("VACUUM users; BEGIN; UPDATE users SET a = 1 WHERE id = 1; COMMIT;"), ID)).isEmpty();
    }
}
