package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ADD FOREIGN KEY / CHECK without NOT VALID on an existing table (also inline REFERENCES/CHECK of ADD COLUMN). */
public final class ConstraintMissingNotValid extends BaseRule {

    public static final String ID = "constraint-missing-not-valid";

    public ConstraintMissingNotValid() {
        super(ID, Severity.ERROR, "CHECK: ACCESS EXCLUSIVE; FOREIGN KEY: SHARE ROW EXCLUSIVE on both tables - during a full scan",
                "Validating the constraint scans every row while writes (and for CHECK, reads) wait.",
                "ADD CONSTRAINT ... NOT VALID (instant, new writes are checked), then in a later statement or migration "
                        + "ALTER TABLE ... VALIDATE CONSTRAINT ... (SHARE UPDATE EXCLUSIVE: reads and writes continue).",
                List.of("constraint-missing-not-valid", "adding-foreign-key-constraint"), List.of("PG3xx (table scan)"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.ADD_CONSTRAINT)) {
            boolean scans = a.constraint() == AlterAction.ConstraintKind.FOREIGN_KEY || a.constraint() == AlterAction.ConstraintKind.CHECK;
            if (scans && !a.notValid()) {
                context.report(this, s, "ADD " + (a.constraint() == AlterAction.ConstraintKind.CHECK ? "CHECK" : "FOREIGN KEY")
                        + " on " + s.table() + " without NOT VALID validates every row under lock.");
            }
        }
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.ADD_COLUMN)) {
            if (a.definition().references() || a.definition().check()) {
                context.report(this, s, Severity.WARNING, "ADD COLUMN " + a.column() + " on " + s.table()
                        + " declares an inline " + (a.definition().references() ? "REFERENCES" : "CHECK")
                        + " constraint, which cannot be NOT VALID; add it separately with NOT VALID.");
            }
        }
    }
}
