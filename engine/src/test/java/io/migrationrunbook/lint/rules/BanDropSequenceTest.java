package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropSequenceTest {

    private static final String ID = BanDropSequence.ID;

    @Test
    void droppingASequenceIsAnError() {
        assertThat(findings(lint("DROP SEQUENCE IF EXISTS invoice_seq CASCADE;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.ERROR && f.message().contains("column defaults"));
    }

    @Test
    void aSequenceCreatedEarlierInTheFileIsNotReported() {
        assertThat(findings(lint("CREATE SEQUENCE s START 10; DROP SEQUENCE s;"), ID)).isEmpty();
        // IF NOT EXISTS may have met the existing sequence: still reported
        assertThat(findings(lint("CREATE SEQUENCE IF NOT EXISTS invoice_seq; DROP SEQUENCE invoice_seq;"), ID)).hasSize(1);
        assertThat(findings(lint("ALTER SEQUENCE invoice_seq RESTART WITH 5;"), ID)).isEmpty();
    }
}
