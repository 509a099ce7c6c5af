package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** DROP INDEX without CONCURRENTLY. */
public final class RequireConcurrentIndexDeletion extends BaseRule {

    public static final String ID = "require-concurrent-index-deletion";

    public RequireConcurrentIndexDeletion() {
        super(ID, Severity.WARNING, "ACCESS EXCLUSIVE on the index's table",
                "The drop itself is quick, but it queues behind every running query on the table and everything after "
                        + "it queues behind it.",
                "DROP INDEX CONCURRENTLY in a migration of its own (outside a transaction).",
                List.of("require-concurrent-index-deletion"), List.of("PG102"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() == StatementKind.DROP && "INDEX".equals(s.objectType()) && !s.concurrently()) {
            context.report(this, s, "DROP INDEX " + String.join(", ", s.names())
                    + " without CONCURRENTLY takes ACCESS EXCLUSIVE on its table.");
        }
    }
}
