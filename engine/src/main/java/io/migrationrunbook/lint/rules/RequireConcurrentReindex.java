package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** REINDEX without CONCURRENTLY. */
public final class RequireConcurrentReindex extends BaseRule {

    public static final String ID = "require-concurrent-reindex";

    public RequireConcurrentReindex() {
        super(ID, Severity.ERROR, "SHARE on the table (writes blocked) and ACCESS EXCLUSIVE on each index (reads using it blocked)",
                "Writes wait for the whole rebuild, and queries that would use the index wait too.",
                "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in its own migration with executeInTransaction=false in its "
                        + ".sql.conf (Flyway does not detect it as non-transactional).",
                List.of(), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() == StatementKind.REINDEX && !s.concurrently()) {
            context.report(this, s, "REINDEX " + (s.objectType() == null ? "" : s.objectType() + " ")
                    + String.join(", ", s.names()) + " without CONCURRENTLY blocks writes for the whole rebuild.");
        }
    }
}
