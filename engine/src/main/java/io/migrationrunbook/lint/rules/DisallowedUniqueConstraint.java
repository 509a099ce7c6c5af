package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ADD UNIQUE / PRIMARY KEY (building its index) on an existing table. */
public final class DisallowedUniqueConstraint extends BaseRule {

    public static final String ID = "disallowed-unique-constraint";

    public DisallowedUniqueConstraint() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table while the index is built",
                "The unique index is built while every read and write waits; it also fails half-way if duplicates exist.",
                "CREATE UNIQUE INDEX CONCURRENTLY idx ON t (col) in its own migration, then "
                        + "ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX idx (or PRIMARY KEY USING INDEX): instant.",
                List.of("disallowed-unique-constraint", "adding-serial-primary-key-field"), List.of("MF101"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.ADD_CONSTRAINT)) {
            boolean builds = (a.constraint() == AlterAction.ConstraintKind.UNIQUE
                    || a.constraint() == AlterAction.ConstraintKind.PRIMARY_KEY) && !a.usingIndex();
            if (builds || a.constraint() == AlterAction.ConstraintKind.EXCLUDE) {
                context.report(this, s, "ADD " + a.constraint().name().replace('_', ' ') + " on " + s.table()
                        + " builds its index under ACCESS EXCLUSIVE.");
            }
        }
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.ADD_COLUMN)) {
            if (a.definition().unique() || a.definition().primaryKey()) {
                context.report(this, s, "ADD COLUMN " + a.column() + " on " + s.table() + " declares "
                        + (a.definition().primaryKey() ? "PRIMARY KEY" : "UNIQUE") + " inline: the index is built under ACCESS EXCLUSIVE.");
            }
        }
    }
}
