package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** DROP SCHEMA. */
public final class BanDropSchema extends BaseRule {

    public static final String ID = "ban-drop-schema";

    public BanDropSchema() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on every object in the schema",
                "Every table, view and function of the schema and their data are gone (CASCADE drops dependants elsewhere too).",
                "Drop the objects one by one in approved releases after they are unused; never from a routine migration.",
                List.of(), List.of("DS101"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() == StatementKind.DROP && "SCHEMA".equals(s.objectType())) {
            context.report(this, s, "Dropping schema " + String.join(", ", s.names()) + (s.has("CASCADE") ? " with CASCADE" : "")
                    + " removes everything in it.");
        }
    }
}
