package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;
import java.util.Set;

/** DROP FUNCTION / PROCEDURE / ROUTINE / AGGREGATE. */
public final class BanDropFunction extends DropObjectRule {

    public static final String ID = "ban-drop-function";

    public BanDropFunction() {
        super(ID, Severity.ERROR, "no table lock (a lock on the function); CASCADE also drops the triggers, defaults and views using it",
                "Every caller - application queries, other functions, triggers, column defaults - fails with 42883 "
                        + "undefined_function once the migration commits.",
                "Stop calling it first (ship that release), then drop it in a later, approved release; to change a function "
                        + "keep its signature and use CREATE OR REPLACE FUNCTION, or add a new function (new name or "
                        + "signature) and move the callers to it (expand/contract).",
                List.of("ban-drop-function"), Set.of("FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE"));
    }

    @Override
    boolean creates(ParsedStatement s) {
        return s.kind() == StatementKind.CREATE_FUNCTION;
    }

    @Override
    String cascade(ParsedStatement drop) {
        return drop.has("CASCADE") ? "; CASCADE also drops the triggers, column defaults and views that use it" : "";
    }
}
