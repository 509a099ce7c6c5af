package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** ALTER COLUMN ... SET NOT NULL on an existing table. */
public final class SettingNotNull extends BaseRule {

    public static final String ID = "setting-not-null";

    public SettingNotNull() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table during a full scan",
                "PostgreSQL scans every row to prove there is no NULL while reads and writes wait; writers still sending "
                        + "NULL start failing.",
                "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c (SHARE UPDATE EXCLUSIVE, writes "
                        + "continue); then SET NOT NULL skips the scan (PostgreSQL 12+); drop the CHECK afterwards.",
                List.of("adding-not-nullable-field"), List.of("MF104"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        for (AlterAction a : actionsOnExisting(s, context, AlterAction.Type.SET_NOT_NULL)) {
            context.report(this, s, "SET NOT NULL on " + s.table() + "." + a.column()
                    + " scans the whole table under ACCESS EXCLUSIVE (unless a validated CHECK (" + a.column()
                    + " IS NOT NULL) already exists).");
        }
    }
}
