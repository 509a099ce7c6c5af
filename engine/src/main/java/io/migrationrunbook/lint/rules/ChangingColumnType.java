package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.SqlType;

import java.util.List;
import java.util.Optional;

/** ALTER COLUMN ... TYPE that rewrites the table (binary-coercible changes excepted). */
public final class ChangingColumnType extends BaseRule {

    public static final String ID = "changing-column-type";

    public ChangingColumnType() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table for the rewrite and index rebuild",
                "Unless the change is binary-coercible (varchar(n) to varchar(m>n) or text, numeric precision increase, "
                        + "dropping a length limit), every row and index is rewritten while reads and writes wait; readers "
                        + "of the old type may break.",
                "Add a new column of the new type, write both (trigger or application), backfill in batches, switch "
                        + "readers, then drop the old column in a later release.",
                List.of("changing-column-type"), List.of("PG3xx (table rewrite)"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.ALTER_COLUMN_TYPE)) {
            Optional<SqlType> old = context.columnType(s.table(), a.column());
            if (old.isPresent()) {
                if (!SqlType.changeIsRewriteFree(old.get(), a.newType())) {
                    context.report(this, s, "Changing " + s.table() + "." + a.column() + " from " + old.get() + " to "
                            + a.newType() + " rewrites the table and its indexes.");
                }
            } else if (a.newType().base().equals("text") || (a.newType().base().equals("varchar") && a.newType().modifiers().isEmpty())) {
                context.report(this, s, Severity.WARNING, "Changing " + s.table() + "." + a.column() + " to " + a.newType()
                        + ": free only from varchar/text; the old type is unknown here (pass --db-url to check).");
            } else {
                context.report(this, s, "Changing " + s.table() + "." + a.column() + " to " + a.newType()
                        + " rewrites the table unless it is binary-coercible from the old type (unknown here; pass --db-url).");
            }
        }
    }
}
