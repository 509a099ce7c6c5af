package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RowEstimate;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/**
 * DML estimated to touch more rows than the threshold: UPDATE/DELETE with a broad WHERE (planner estimate),
 * INSERT ... SELECT from large tables (pg_class.reltuples), large COPY blocks.
 */
public final class LargeBackfill extends BaseRule {

    public static final String ID = "large-backfill";

    public LargeBackfill() {
        super(ID, Severity.ERROR, "ROW EXCLUSIVE plus row locks on every touched row until commit",
                "A large data change in a migration holds its row locks and the migration's DDL locks for its whole run, "
                        + "writes a burst of WAL and cannot be throttled or resumed.",
                "Move it to a batch job (small committed batches, throttled, resumable), run after the schema release.",
                List.of(), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.dml() == null) {
            return;
        }
        boolean unbounded = !s.dml().hasWhere() && (s.kind() == StatementKind.UPDATE || s.kind() == StatementKind.DELETE
                || s.kind() == StatementKind.MERGE);
        if (unbounded) {
            return; // backfill-without-where reports it
        }
        RowEstimate estimate = context.rowEstimate(s);
        long threshold = context.settings().backfillRowThreshold();
        if (estimate != null && estimate.rows() > threshold) {
            String what = s.kind() == StatementKind.INSERT ? "INSERT ... SELECT into " + s.table() + " from "
                    + String.join(", ", s.dml().sourceTables()) : s.kind() + " on " + s.table();
            context.report(this, s, what + " touches about " + estimate.rows() + " rows (" + estimate.basis()
                    + "), more than the backfill threshold of " + threshold + ".");
        }
    }
}
