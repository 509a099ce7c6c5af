package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;
import java.util.Set;

/** DROP SEQUENCE. */
public final class BanDropSequence extends DropObjectRule {

    public static final String ID = "ban-drop-sequence";

    public BanDropSequence() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the sequence",
                "Writers calling nextval on it fail; with CASCADE the column defaults using it are dropped, so inserts "
                        + "relying on them store NULL or fail.",
                "Move the column defaults and every nextval caller to the new sequence (or an identity column) first, then "
                        + "drop the old one in a later, approved release.",
                List.of("ban-drop-sequence"), Set.of("SEQUENCE"));
    }

    @Override
    boolean creates(ParsedStatement s) {
        return s.kind() == StatementKind.CREATE_OTHER && "SEQUENCE".equals(s.objectType());
    }

    @Override
    String cascade(ParsedStatement drop) {
        return drop.has("CASCADE") ? "; CASCADE also drops the column defaults that use it" : "";
    }
}
