package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** CREATE INDEX without CONCURRENTLY on an existing table. */
public final class RequireConcurrentIndexCreation extends BaseRule {

    public static final String ID = "require-concurrent-index-creation";

    public RequireConcurrentIndexCreation() {
        super(ID, Severity.ERROR, "SHARE on the table for the whole build (writes blocked, reads continue)",
                "Every INSERT, UPDATE and DELETE on the table waits until the index is built: minutes on a large table.",
                "CREATE INDEX CONCURRENTLY in a migration of its own (Flyway then runs it outside a transaction); "
                        + "on failure drop the INVALID index it leaves and retry.",
                List.of("require-concurrent-index-creation"), List.of("PG101"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() == StatementKind.CREATE_INDEX && !s.concurrently() && context.isExistingTable(s.table())) {
            context.report(this, s, "CREATE " + (s.unique() ? "UNIQUE " : "") + "INDEX on " + s.table()
                    + " without CONCURRENTLY blocks writes for the whole build.");
        }
    }
}
