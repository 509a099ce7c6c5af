package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;
import java.util.Set;

/** DROP TYPE / DROP DOMAIN. */
public final class BanDropType extends DropObjectRule {

    public static final String ID = "ban-drop-type";

    public BanDropType() {
        super(ID, Severity.ERROR, "a lock on the type; with CASCADE, ACCESS EXCLUSIVE on every table with a column of that type",
                "Casts, parameters and functions naming the type fail (42704 undefined_object); with CASCADE every column "
                        + "of that type is dropped with its data.",
                "Stop using the type (columns, casts, function signatures) first, then drop it in a later, approved release; "
                        + "for an enum add values with ALTER TYPE ... ADD VALUE instead of recreating it.",
                List.of("ban-drop-type", "ban-drop-domain"), Set.of("TYPE", "DOMAIN"));
    }

    @Override
    boolean creates(ParsedStatement s) {
        return s.kind() == StatementKind.CREATE_TYPE;
    }

    @Override
    String cascade(ParsedStatement drop) {
        return drop.has("CASCADE") ? "; CASCADE also drops every column of that type, with its data" : "";
    }
}
