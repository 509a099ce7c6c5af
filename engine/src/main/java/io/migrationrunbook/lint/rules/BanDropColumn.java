package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ALTER TABLE ... DROP COLUMN on an existing table. */
public final class BanDropColumn extends BaseRule {

    public static final String ID = "ban-drop-column";

    public BanDropColumn() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table (brief; no rewrite)",
                "Data is lost for good and running instances that still read or write the column fail.",
                "Stop reading and writing the column first (ship that release), back it up if needed, then drop it in a "
                        + "later, approved release; suppress with -- runbook:allow ban-drop-column <reason> once that is done.",
                List.of("ban-drop-column"), List.of("DS103"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.DROP_COLUMN)) {
            context.report(this, s, "Dropping column " + s.table() + "." + a.column() + " loses its data and breaks its readers.");
        }
    }
}
