package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;
import java.util.Set;

/** DROP VIEW / DROP MATERIALIZED VIEW. */
public final class BanDropView extends DropObjectRule {

    public static final String ID = "ban-drop-view";

    public BanDropView() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the view (queries reading it wait, then fail)",
                "Every query reading the view fails (42P01 undefined_table) once the migration commits; a materialized "
                        + "view's contents are gone and rebuilding them means running its whole query again.",
                "Stop reading the view first (ship that release), then drop it in a later, approved release; to change a "
                        + "view keep its columns and use CREATE OR REPLACE VIEW (new columns go at the end).",
                List.of("ban-drop-view"), Set.of("VIEW", "MATERIALIZED VIEW"));
    }

    @Override
    boolean creates(ParsedStatement s) {
        return s.kind() == StatementKind.CREATE_VIEW;
    }

    @Override
    boolean sameObject(ParsedStatement create, ParsedStatement drop, String name) {
        return bare(create.table()).equals(bare(name));
    }

    @Override
    String cascade(ParsedStatement drop) {
        return drop.has("CASCADE") ? "; CASCADE also drops the views built on it" : "";
    }
}
