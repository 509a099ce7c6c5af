package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ColumnDefinition;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ADD COLUMN ... NOT NULL without a default on an existing table. */
public final class AddingRequiredField extends BaseRule {

    public static final String ID = "adding-required-field";

    public AddingRequiredField() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table (brief), then the statement fails",
                "On a non-empty table the statement fails (existing rows would be NULL); on an empty one every writer "
                        + "that does not send the column starts failing.",
                "Add the column nullable (or NOT NULL with a constant default), deploy writers that fill it, backfill in "
                        + "batches, then add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it and SET NOT NULL.",
                List.of("adding-required-field", "adding-not-nullable-field"), List.of("MF103"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.ADD_COLUMN)) {
            ColumnDefinition c = a.definition();
            if (c.notNull() && !c.hasDefault() && !c.identity() && !c.serial() && !c.storedGenerated()) {
                context.report(this, s, "ADD COLUMN " + a.column() + " NOT NULL on " + s.table()
                        + " has no default: it fails if the table has rows and breaks writers that omit the column.");
            }
        }
    }
}
