package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.DefaultExpressions;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ADD COLUMN that rewrites the table: volatile default, serial, identity, STORED generated. */
public final class RewritingAddColumn extends BaseRule {

    public static final String ID = "rewriting-add-column";

    public RewritingAddColumn() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table for the whole rewrite",
                "The table and its indexes are rewritten while every read and write waits: minutes on a large table.",
                "Add the column nullable without a default (or with a constant default), then SET DEFAULT for new rows and "
                        + "backfill existing rows in batches outside the migration; for identity, create the sequence and "
                        + "backfill the same way.",
                List.of("adding-field-with-default", "adding-serial-primary-key-field"), List.of("PG3xx (table rewrite)"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.ADD_COLUMN)) {
            String reason = DefaultExpressions.rewriteReason(a.definition(), context.catalog()::functionVolatility);
            if (reason != null) {
                context.report(this, s, "ADD COLUMN " + a.column() + " on " + s.table() + " rewrites the table: " + reason + ".");
                continue;
            }
            if (a.definition().hasDefault()) {
                DefaultExpressions.Verdict v = DefaultExpressions.volatility(a.definition().defaultTokens(),
                        context.catalog()::functionVolatility);
                if (v.volatility() == DefaultExpressions.Volatility.UNKNOWN) {
                    context.report(this, s, Severity.WARNING, "ADD COLUMN " + a.column() + " on " + s.table() + " has default "
                            + a.definition().defaultExpr() + " calling " + v.function()
                            + ", whose volatility is unknown here (pass --db-url to look it up): if it is VOLATILE the table is rewritten.");
                }
            }
        }
    }
}
