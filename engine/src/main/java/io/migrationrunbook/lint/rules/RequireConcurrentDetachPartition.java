package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ALTER TABLE ... DETACH PARTITION without CONCURRENTLY. */
public final class RequireConcurrentDetachPartition extends BaseRule {

    public static final String ID = "require-concurrent-detach-partition";

    public RequireConcurrentDetachPartition() {
        super(ID, Severity.WARNING, "ACCESS EXCLUSIVE on the partitioned table",
                "Every query on the parent table waits behind the detach, and the detach waits behind every running query.",
                "DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+) in its own migration with executeInTransaction=false.",
                List.of(), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.DETACH_PARTITION)) {
            if (!a.concurrently()) {
                context.report(this, s, "DETACH PARTITION " + a.newName() + " from " + s.table()
                        + " without CONCURRENTLY takes ACCESS EXCLUSIVE on the parent.");
            }
        }
    }
}
