package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class BanDropFunctionTest {

    private static final String ID = BanDropFunction.ID;

    @Test
    void droppingAFunctionOrProcedureIsAnError() {
        assertThat(findings(lint("DROP FUNCTION IF EXISTS order_label(orders), add(int, int) CASCADE;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.ERROR && f.message().contains("function order_label, add with CASCADE"));
        assertThat(findings(lint("DROP PROCEDURE archive(date);"), ID)).hasSize(1);
        assertThat(findings(lint("DROP ROUTINE archive;"), ID)).hasSize(1);
    }

    @Test
    void aFunctionCreatedInTheFileIsNotReportedAndARecreatedOneIsAWarning() {
        assertThat(findings(lint("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; DROP FUNCTION f();"), ID)).isEmpty();
        assertThat(findings(lint("DROP FUNCTION IF EXISTS public.f(int);\n"
                + "CREATE OR REPLACE FUNCTION public.f(bigint) RETURNS int LANGUAGE sql AS $$SELECT 1$$;"), ID))
                .singleElement().matches(f -> f.severity() == Severity.WARNING);
    }

    @Test
    void otherDropsAreNotThisRule() {
        assertThat(findings(lint("DROP VIEW v; DROP TYPE t; DROP INDEX i;"), ID)).isEmpty();
    }
}
