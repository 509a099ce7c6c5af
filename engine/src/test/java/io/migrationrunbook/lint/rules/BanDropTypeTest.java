package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropTypeTest {

    private static final String ID = BanDropType.ID;

    @Test
    void droppingATypeOrDomainIsAnErrorAndCascadeSaysItDropsColumns() {
        assertThat(findings(lint("DROP TYPE mood CASCADE;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.ERROR && f.message().contains("drops every column of that type"));
        assertThat(findings(lint("DROP DOMAIN positive;"), ID)).singleElement().matches(f -> f.message().contains("domain positive"));
        assertThat(findings(lint("-- squawk-ignore ban-drop-domain\nDROP DOMAIN positive;"), ID)).isEmpty();
    }

    @Test
    void aTypeCreatedEarlierInTheFileIsNotReported() {
        assertThat(findings(lint("CREATE TYPE state AS ENUM ('a'); DROP TYPE state;"), ID)).isEmpty();
        assertThat(findings(lint("ALTER TYPE mood ADD VALUE 'meh';"), ID)).isEmpty();
    }
}
