package io.migrationrunbook.lint;

import io.migrationrunbook.lint.rules.InvalidSuppression;
import io.migrationrunbook.lint.rules.Rules;
import io.migrationrunbook.lint.rules.UnparsedStatement;
import io.migrationrunbook.policy.ClassifiedChange;
import io.migrationrunbook.policy.Classifier;
import io.migrationrunbook.policy.MigrationClassification;
import io.migrationrunbook.policy.PolicyDecision;
import io.migrationrunbook.policy.ReleaseClassification;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code runbook lint}: static analysis of migration SQL. Reads files and directories in Flyway order, runs every
 * enabled rule over every statement, applies suppression comments, classifies each migration and the release, and
 * asks the release policy for a decision. Never throws on valid SQL: what it cannot follow is an info finding.
 */
public final class Linter {

    private Linter() {
    }

    /** Lints .sql files and directories (recursively, Flyway order). */
    public static LintReport lint(List<Path> inputs, LintSettings settings) {
        List<Migration> migrations = new ArrayList<>();
        for (Path file : MigrationLoader.files(inputs)) {
            migrations.add(MigrationLoader.load(file, settings.placeholders()));
        }
        return lintMigrations(migrations, settings);
    }

    /** Lints SQL text as one migration called {@code fileName}. */
    public static LintReport lintSql(String fileName, String sql, LintSettings settings) {
        return lintMigrations(List.of(MigrationLoader.parse(Path.of(fileName), sql, null, settings.placeholders())), settings);
    }

    public static LintReport lintMigrations(List<Migration> migrations, LintSettings settings) {
        long started = System.nanoTime();
        List<LintRule> rules = Rules.all().stream().filter(settings::isEnabled).toList();
        Map<String, LintRule> byId = new LinkedHashMap<>();
        for (LintRule rule : Rules.all()) {
            byId.put(rule.id(), rule);
        }
        LintRule invalidSuppression = byId.get(InvalidSuppression.ID);
        LintRule unparsedRule = byId.get(UnparsedStatement.ID);

        List<Finding> findings = new ArrayList<>();
        List<SuppressedFinding> suppressed = new ArrayList<>();
        List<LintReport.FileResult> files = new ArrayList<>();
        List<MigrationClassification> classifications = new ArrayList<>();
        List<Migration> inRelease = new ArrayList<>();
        Set<String> createdInRun = new HashSet<>();
        Map<String, SqlType> knownColumns = new HashMap<>();
        int statements = 0;

        CatalogFacts catalog = settings.catalog() != null ? settings.catalog()
                : settings.database() != null ? CatalogFacts.read(settings.database()) : CatalogFacts.empty();
        try {
            for (Migration migration : migrations) {
                RuleContext context = new RuleContext(migration, settings, catalog, createdInRun, knownColumns);
                if (!settings.inRelease(migration)) {
                    // already applied: only what it creates matters to the files after it
                    migration.allStatements().forEach(context::after);
                    continue;
                }
                inRelease.add(migration);
                Suppressions suppressions = Suppressions.of(migration, invalidSuppression, byId);
                List<ClassifiedChange> changes = new ArrayList<>();
                int unparsed = 0;
                // DO blocks: the statements of their bodies run now and are checked like the file's own
                for (ParsedStatement statement : migration.allStatements()) {
                    if (!statement.isParsed()) {
                        unparsed++;
                    }
                    for (LintRule rule : rules) {
                        try {
                            rule.check(statement, context);
                        } catch (RuntimeException e) {
                            // a rule bug must not hide the other findings
                            context.report(unparsedRule, statement, Severity.INFO, "rule " + rule.id()
                                    + " could not check this statement (" + e.getClass().getSimpleName() + ")");
                        }
                    }
                    try {
                        ClassifiedChange change = Classifier.classify(statement, context);
                        if (change != null) {
                            changes.add(change);
                        }
                        context.after(statement);
                    } catch (RuntimeException e) {
                        context.report(unparsedRule, statement, Severity.INFO, "could not classify this statement ("
                                + e.getClass().getSimpleName() + "); review it by hand");
                    }
                }
                for (LintRule rule : rules) {
                    rule.checkFile(context);
                }
                List<Finding> fileFindings = new ArrayList<>();
                for (RuleContext.Reported r : context.reported()) {
                    Suppressions.Directive directive = suppressions.find(r.finding(), r.rule(), r.statement());
                    if (directive != null) {
                        suppressed.add(new SuppressedFinding(r.finding(), directive.by(), directive.reason()));
                    } else {
                        fileFindings.add(r.finding());
                    }
                }
                if (settings.isEnabled(invalidSuppression)) {
                    fileFindings.addAll(suppressions.problems());
                }
                fileFindings.sort(Comparator.comparingInt(Finding::line));
                findings.addAll(fileFindings);
                statements += migration.statementCount();
                files.add(new LintReport.FileResult(migration.path(), migration.name(), migration.version(), migration.mode(),
                        migration.statementCount(), unparsed, fileFindings.size()));
                classifications.add(MigrationClassification.of(migration.path(), migration.version(), changes));
            }
        } finally {
            if (settings.catalog() == null) {
                catalog.close();
            }
        }
        ReleaseClassification release = ReleaseClassification.of(classifications);
        PolicyDecision decision = settings.policy().decide(release, settings.approveBreaking());
        int errors = count(findings, Severity.ERROR);
        int warnings = count(findings, Severity.WARNING);
        int infos = count(findings, Severity.INFO);
        boolean passed = findings.stream().noneMatch(f -> f.severity().atLeast(settings.failOn()));
        LintReport.Summary summary = new LintReport.Summary(files.size(), statements, errors, warnings, infos,
                suppressed.size(), settings.failOn(), passed, (System.nanoTime() - started) / 1_000_000);
        return new LintReport(List.copyOf(findings), List.copyOf(suppressed), List.copyOf(files), summary, release, decision,
                List.copyOf(inRelease));
    }

    private static int count(List<Finding> findings, Severity severity) {
        return (int) findings.stream().filter(f -> f.severity() == severity).count();
    }
}
