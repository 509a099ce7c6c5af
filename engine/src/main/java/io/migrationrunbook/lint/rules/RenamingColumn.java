package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** RENAME COLUMN on an existing table. */
public final class RenamingColumn extends BaseRule {

    public static final String ID = "renaming-column";

    public RenamingColumn() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table (brief)",
                "Running application instances still use the old name and fail the moment the migration commits.",
                "Expand and contract: add the new column, write both, backfill, move readers, drop the old one in a later "
                        + "release (or a view exposing the old name during the transition).",
                List.of("renaming-column"), List.of("BC102"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.RENAME_COLUMN)) {
            context.report(this, s, "Renaming " + s.table() + "." + a.column() + " to " + a.newName()
                    + " breaks every running reader and writer of the old name.");
        }
    }
}
