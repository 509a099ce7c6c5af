package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.LintReport;
import io.migrationrunbook.lint.SuppressedFinding;
import org.junit.jupiter.api.Test;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.ruleIds;
import static org.assertj.core.api.Assertions.assertThat;

class SuppressionTest {

    @Test
    void runbookAllowWithReasonSilencesTheNextStatementOnly() {
        LintReport report = lint("""
                -- runbook:allow ban-drop-column readers stopped using it in release 41
                ALTER TABLE users DROP COLUMN legacy;
                ALTER TABLE users DROP COLUMN other;
                """);
        assertThat(findings(report, BanDropColumn.ID)).singleElement().matches(f -> f.line() == 3);
        assertThat(report.suppressed()).singleElement().satisfies(s -> {
            assertThat(s.by()).isEqualTo("runbook:allow");
            assertThat(s.reason()).isEqualTo("readers stopped using it in release 41");
            assertThat(s.finding().line()).isEqualTo(2);
        });
    }

    @Test
    void runbookAllowWithoutReasonIsItselfAFindingAndSilencesNothing() {
        LintReport report = lint("""
                -- runbook:allow ban-drop-column
                ALTER TABLE users DROP COLUMN legacy;
                """);
        assertThat(ruleIds(report)).containsExactlyInAnyOrder(InvalidSuppression.ID, BanDropColumn.ID);
        assertThat(findings(report, InvalidSuppression.ID)).singleElement().matches(f -> f.line() == 1);
        assertThat(report.suppressed()).isEmpty();
    }

    @Test
    void runbookAllowWithAnUnknownRuleIsAFinding() {
        LintReport report = lint("""
                /* runbook:allow ban-drop-colum typo here */
                ALTER TABLE users DROP COLUMN legacy;
                """);
        assertThat(findings(report, InvalidSuppression.ID)).singleElement().matches(f -> f.message().contains("ban-drop-colum"));
    }

    @Test
    void squawkIgnoreAcceptsSquawkNamesAndOurIds() {
        LintReport report = lint("""
                -- squawk-ignore ban-drop-column, renaming-column
                ALTER TABLE users DROP COLUMN legacy;
                -- squawk-ignore adding-field-with-default
                ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
                -- squawk-ignore require-concurrent-index-creation
                CREATE INDEX i ON users (a);
                ALTER TABLE users RENAME COLUMN a TO b;
                """);
        assertThat(ruleIds(report)).containsExactly(RenamingColumn.ID);
        assertThat(report.suppressed()).extracting(SuppressedFinding::by).containsOnly("squawk-ignore").hasSize(3);
    }

    @Test
    void squawkIgnoreFileSilencesTheWholeFile() {
        LintReport all = lint("""
                -- squawk-ignore-file
                ALTER TABLE users DROP COLUMN legacy;
                DROP TABLE old;
                """);
        assertThat(all.findings()).isEmpty();
        assertThat(all.suppressed()).hasSize(2);
        LintReport some = lint("""
                ALTER TABLE users DROP COLUMN legacy;
                DROP TABLE old;
                -- squawk-ignore-file ban-drop-table
                """);
        assertThat(ruleIds(some)).containsExactly(BanDropColumn.ID);
    }

    @Test
    void atlasNolintNamesAtlasCodes() {
        LintReport report = lint("""
                -- atlas:nolint DS103
                ALTER TABLE users DROP COLUMN legacy;
                -- atlas:nolint
                DROP TABLE old;
                """);
        assertThat(report.findings()).isEmpty();
        assertThat(report.suppressed()).hasSize(2);
    }
}
