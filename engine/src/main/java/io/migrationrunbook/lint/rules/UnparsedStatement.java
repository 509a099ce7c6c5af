package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** A statement the linter could not follow: reported, never a crash, so reviewers know it was not checked. */
public final class UnparsedStatement extends BaseRule {

    public static final String ID = "unparsed-statement";

    public UnparsedStatement() {
        super(ID, Severity.INFO, "unknown",
                "No rule could check this statement; it may take locks the linter cannot see.",
                "Review it by hand, or run runbook rehearse to observe its locks on a copy.",
                List.of(), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (!s.isParsed()) {
            context.report(this, s, "Not analysed: " + s.unparsed() + ".");
        }
    }
}
