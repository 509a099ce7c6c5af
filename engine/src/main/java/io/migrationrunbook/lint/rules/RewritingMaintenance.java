package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED/UNLOGGED, REFRESH MATERIALIZED VIEW without CONCURRENTLY. */
public final class RewritingMaintenance extends BaseRule {

    public static final String ID = "rewriting-maintenance";

    public RewritingMaintenance() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table for the whole rewrite",
                "The table is copied while every read and write waits: an outage proportional to the table's size.",
                "Keep rewrites out of migrations: pg_repack or pg_squeeze for bloat, REFRESH MATERIALIZED VIEW "
                        + "CONCURRENTLY (needs a unique index), tablespace moves in a maintenance window.",
                List.of(), List.of("PG3xx (table rewrite)"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() == StatementKind.VACUUM && s.has("FULL")) {
            context.report(this, s, "VACUUM FULL rewrites " + (s.names().isEmpty() ? "every table of the database" : String.join(", ", s.names()))
                    + " under ACCESS EXCLUSIVE (and cannot run in a transaction).");
        } else if (s.kind() == StatementKind.CLUSTER) {
            context.report(this, s, "CLUSTER " + (s.table() == null ? "(every clustered table)" : s.table())
                    + " rewrites the table under ACCESS EXCLUSIVE.");
        } else if (s.kind() == StatementKind.REFRESH_MATERIALIZED_VIEW && !s.concurrently()) {
            context.report(this, s, Severity.WARNING, "REFRESH MATERIALIZED VIEW " + s.table()
                    + " without CONCURRENTLY blocks its readers for the whole refresh.");
        } else if (s.kind() == StatementKind.ALTER_TABLE && context.isExistingTable(s.table())) {
            for (AlterAction a : s.actions()) {
                if (a.type() == AlterAction.Type.SET_TABLESPACE || a.type() == AlterAction.Type.SET_LOGGED
                        || a.type() == AlterAction.Type.SET_UNLOGGED) {
                    context.report(this, s, a.type().name().replace('_', ' ') + " rewrites " + s.table()
                            + " under ACCESS EXCLUSIVE.");
                }
            }
        }
    }
}
