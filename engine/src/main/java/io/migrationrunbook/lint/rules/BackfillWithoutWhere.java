package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RowEstimate;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** UPDATE / DELETE / MERGE without WHERE on an existing table. */
public final class BackfillWithoutWhere extends BaseRule {

    public static final String ID = "backfill-without-where";

    public BackfillWithoutWhere() {
        super(ID, Severity.ERROR, "ROW EXCLUSIVE on the table plus a row lock on every row until commit",
                "Every row is locked until the migration commits (writers wait), the whole table's worth of WAL is written "
                        + "at once (replicas lag) and dead tuples bloat the table.",
                "Run the data change as a batch job: small batches by primary key range, each committed, throttled, "
                        + "resumable; keep the migration for the schema.",
                List.of(), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.dml() == null || s.dml().hasWhere() || !context.isExistingTable(s.table())) {
            return;
        }
        if (s.kind() != StatementKind.UPDATE && s.kind() != StatementKind.DELETE && s.kind() != StatementKind.MERGE) {
            return;
        }
        RowEstimate estimate = context.rowEstimate(s);
        if (estimate != null && estimate.rows() <= context.settings().backfillRowThreshold()) {
            return; // small table per the database: not a backfill
        }
        context.report(this, s, s.kind() + " of " + (s.kind() == StatementKind.MERGE ? "" : "every row of ") + s.table()
                + (s.kind() == StatementKind.MERGE ? " without a bound on the rows it touches" : " (no WHERE clause)")
                + (estimate == null ? "" : ", about " + estimate.rows() + " rows (" + estimate.basis() + ")") + ".");
    }
}
