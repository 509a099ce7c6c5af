package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ALTER TABLE ... RENAME TO (and SET SCHEMA) on an existing table. */
public final class RenamingTable extends BaseRule {

    public static final String ID = "renaming-table";

    public RenamingTable() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table (brief)",
                "Running application instances still query the old name and fail the moment the migration commits.",
                "Expand and contract: create the new table (or a view with the new name), move writers and readers, then "
                        + "drop the old name in a later release.",
                List.of("renaming-table"), List.of("BC101"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.RENAME_TABLE)) {
            context.report(this, s, "Renaming table " + s.table() + " to " + a.newName() + " breaks every running query on it.");
        }
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.SET_SCHEMA)) {
            context.report(this, s, "Moving table " + s.table() + " to schema " + a.newName()
                    + " breaks every running query that names it unqualified.");
        }
    }
}
