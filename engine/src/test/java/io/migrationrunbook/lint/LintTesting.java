package io.migrationrunbook.lint;

import java.util.List;
import java.util.Map;

/** Lints SQL snippets for rule tests. */
public final class LintTesting {

    private LintTesting() {
    }

    public static LintReport lint(String sql) {
        return Linter.lintSql("V2__change.sql", sql, LintSettings.defaults());
    }

    public static LintReport lint(String sql, LintSettings settings) {
        return Linter.lintSql("V2__change.sql", sql, settings);
    }

    /** Lints with a catalog that knows the given tables and row counts. */
    public static LintReport lintWithRows(String sql, Map<String, Long> rows) {
        return lint(sql, LintSettings.defaults().withCatalog(CatalogFacts.of(rows, Map.of())));
    }

    /** Ids of the findings of {@code rule} in the report (one entry per finding). */
    public static List<Finding> findings(LintReport report, String rule) {
        return report.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    public static List<String> ruleIds(LintReport report) {
        return report.findings().stream().map(Finding::rule).toList();
    }
}
