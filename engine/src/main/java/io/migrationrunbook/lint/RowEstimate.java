package io.migrationrunbook.lint;

import java.util.OptionalLong;

/**
 * How many rows a data-changing statement touches, and how that was worked out.
 *
 * @param rows  estimated rows
 * @param basis {@code planner} (EXPLAIN on the target), {@code reltuples} (table size from pg_class),
 *              {@code copy-data} (lines in the COPY block), {@code new-table} (created in this file)
 */
public record RowEstimate(long rows, String basis) {

    /** The estimate for a DML statement, or null when nothing is known (no database, a WHERE clause...). */
    public static RowEstimate of(ParsedStatement s, RuleContext context) {
        if (s.dml() == null) {
            return null;
        }
        if (s.kind() == StatementKind.COPY) {
            Token data = s.statement().copyData();
            if (data == null) {
                return null;
            }
            long lines = data.text().lines().filter(l -> !l.strip().equals("\\.")).count();
            return new RowEstimate(lines, "copy-data");
        }
        boolean insert = s.kind() == StatementKind.INSERT;
        if (!insert && !context.isExistingTable(s.table())) {
            return new RowEstimate(0, "new-table");
        }
        if (insert && s.dml().sourceTables().isEmpty()) {
            return null; // INSERT ... VALUES: as many rows as written
        }
        OptionalLong planned = context.explainRows(s);
        if (planned.isPresent()) {
            return new RowEstimate(planned.getAsLong(), "planner");
        }
        if (insert) {
            long total = 0;
            boolean known = false;
            for (String source : s.dml().sourceTables()) {
                OptionalLong rows = context.isExistingTable(source) ? context.estimatedRows(source) : OptionalLong.of(0);
                if (rows.isPresent()) {
                    total += rows.getAsLong();
                    known = true;
                }
            }
            return known ? new RowEstimate(total, "reltuples") : null;
        }
        if (!s.dml().hasWhere()) {
            OptionalLong rows = context.estimatedRows(s.table());
            return rows.isPresent() ? new RowEstimate(rows.getAsLong(), "reltuples") : null;
        }
        return null;
    }
}
