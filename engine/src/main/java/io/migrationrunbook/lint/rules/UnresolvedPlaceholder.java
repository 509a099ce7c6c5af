package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.migrate.Placeholders;

import java.util.List;

/**
 * A Flyway placeholder ({@code ${schema}}) the file uses without a value given to the linter. It was analysed as an
 * identifier of its name, so findings that depend on what it stands for (an existing table in that schema) may be
 * missing. Info, not a failure: the linter checks text; {@code migrate} and {@code rehearse} refuse the file until a
 * value is given.
 */
public final class UnresolvedPlaceholder extends BaseRule {

    public static final String ID = "unresolved-placeholder";

    public UnresolvedPlaceholder() {
        super(ID, Severity.INFO, "unknown",
                "Flyway replaces ${name} before it runs the file; without the value the linter analysed the name itself, "
                        + "and migrate refuses to run the file.",
                "Pass the value the migration will get: --placeholder NAME=VALUE (Jenkins: placeholders; plan: migrations.placeholders).",
                List.of(), List.of());
    }

    @Override
    public void checkFile(RuleContext context) {
        for (Placeholders.Use use : context.migration().unresolvedPlaceholders()) {
            ParsedStatement at = statementAt(context, use.line());
            String name = use.name().lines().findFirst().orElse("");
            context.report(this, at, "Placeholder ${" + name + "} (line " + use.line() + ") has no value: analysed as the identifier "
                    + name.replaceAll("[^A-Za-z0-9_]", "_") + ". Pass --placeholder " + name + "=VALUE to lint what migrate will run.");
        }
    }

    /** The statement holding the line, else the next one after it, else the last one (null for an empty file). */
    private static ParsedStatement statementAt(RuleContext context, int line) {
        List<ParsedStatement> statements = context.migration().statements();
        for (ParsedStatement s : statements) {
            if (s.statement().endLine() >= line) {
                return s;
            }
        }
        return statements.isEmpty() ? null : statements.get(statements.size() - 1);
    }
}
