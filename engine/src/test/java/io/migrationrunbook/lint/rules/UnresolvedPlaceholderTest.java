package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Finding;
import io.migrationrunbook.lint.LintReport;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class UnresolvedPlaceholderTest {

    private static final String SQL = "ALTER TABLE ${schema}.accounts ALTER COLUMN balance TYPE bigint;\n"
            + "GRANT SELECT ON ${schema}.accounts TO ${app_role};\n";

    @Test
    void aStatementWithAPlaceholderIsLintedWithItsValue() {
        LintReport report = lint(SQL, LintSettings.defaults().withPlaceholders(Map.of("schema", "app", "app_role", "reader")));
        List<Finding> type = findings(report, "changing-column-type");
        assertThat(type).hasSize(1);
        assertThat(type.get(0).line()).isEqualTo(1);
        assertThat(type.get(0).statement()).contains("app.accounts");
        assertThat(findings(report, UnresolvedPlaceholder.ID)).isEmpty();
        assertThat(findings(report, UnparsedStatement.ID)).isEmpty();
    }

    @Test
    void aPlaceholderWithoutAValueIsAnIdentifierAndAnInfoFindingNeverACrash() {
        LintReport report = lint(SQL);
        assertThat(findings(report, "changing-column-type")).hasSize(1); // still linted, as schema.accounts
        List<Finding> info = findings(report, UnresolvedPlaceholder.ID);
        assertThat(info).extracting(Finding::line).containsExactly(1, 2, 2);
        assertThat(info).allMatch(f -> f.severity() == Severity.INFO);
        assertThat(info.get(2).message()).contains("${app_role}").contains("--placeholder app_role=VALUE");
        assertThat(report.passed()).isFalse(); // the column type change is an error; the info findings are not
        assertThat(lint("SELECT '${only_info}';").passed()).isTrue();
    }

    @Test
    void flywayBuiltInsAreNotReportedAndReplacementCanBeSuppressed() {
        assertThat(findings(lint("CREATE TABLE ${flyway:defaultSchema}.t (id int);"), UnresolvedPlaceholder.ID)).isEmpty();
        LintReport waived = lint("-- runbook:allow unresolved-placeholder set by the deploy job\nGRANT SELECT ON t TO ${app_role};");
        assertThat(findings(waived, UnresolvedPlaceholder.ID)).isEmpty();
        assertThat(waived.suppressed()).hasSize(1);
    }
}
