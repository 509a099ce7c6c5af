package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;
import java.util.Set;

/** DROP TRIGGER on an existing table. */
public final class BanDropTrigger extends DropObjectRule {

    public static final String ID = "ban-drop-trigger";

    public BanDropTrigger() {
        super(ID, Severity.WARNING, "ACCESS EXCLUSIVE on the trigger's table (brief)",
                "What the trigger did on every write - audit rows, updated_at, derived columns, cross-table checks - "
                        + "silently stops, and nothing fails to tell anyone.",
                "Move what the trigger does into the application (or a replacement trigger) in a release before, then drop "
                        + "it; to change a trigger use CREATE OR REPLACE TRIGGER (PostgreSQL 14+), or drop and create it "
                        + "in the same transaction.",
                List.of("ban-drop-trigger"), Set.of("TRIGGER"));
    }

    @Override
    boolean creates(ParsedStatement s) {
        return s.kind() == StatementKind.CREATE_TRIGGER && "TRIGGER".equals(s.objectType());
    }

    @Override
    boolean sameObject(ParsedStatement create, ParsedStatement drop, String name) {
        return super.sameObject(create, drop, name)
                && (drop.table() == null || create.table() == null || bare(create.table()).equals(bare(drop.table())));
    }
}
