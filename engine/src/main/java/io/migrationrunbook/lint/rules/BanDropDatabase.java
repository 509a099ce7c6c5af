package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** DROP DATABASE. */
public final class BanDropDatabase extends BaseRule {

    public static final String ID = "ban-drop-database";

    public BanDropDatabase() {
        super(ID, Severity.ERROR, "exclusive access to the whole database",
                "A whole database and its data disappear; it also cannot run inside Flyway's transaction.",
                "Never from a migration: decommission databases by hand, after a backup, outside the release.",
                List.of("ban-drop-database"), List.of("DS101"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() == StatementKind.DROP && "DATABASE".equals(s.objectType())) {
            context.report(this, s, "Dropping database " + String.join(", ", s.names()) + " from a migration.");
        }
    }
}
