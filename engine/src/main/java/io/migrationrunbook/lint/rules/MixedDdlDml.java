package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;

import java.util.List;

/** A file that both changes the schema and changes rows of existing tables. */
public final class MixedDdlDml extends BaseRule {

    public static final String ID = "mixed-ddl-dml";

    public MixedDdlDml() {
        super(ID, Severity.WARNING, "the DDL's locks are held while the DML runs (same transaction)",
                "In one transaction the schema change's ACCESS EXCLUSIVE lock is held for as long as the data change takes; "
                        + "and a failure in either undoes both, which makes retries and reviews harder.",
                "Put schema changes and data changes in separate migrations (data changes in a batch job if large). Seeding "
                        + "a table created in the same file is fine and not reported.",
                List.of(), List.of());
    }

    @Override
    public void checkFile(RuleContext context) {
        ParsedStatement firstDdl = null;
        ParsedStatement firstDml = null;
        for (ParsedStatement s : context.migration().allStatements()) {
            if (s.kind().isDdl() && firstDdl == null && s.kind() != io.migrationrunbook.lint.StatementKind.COMMENT
                    && s.kind() != io.migrationrunbook.lint.StatementKind.GRANT) {
                firstDdl = s;
            }
            if (s.kind().isDml() && firstDml == null && s.table() != null && !createdBefore(s, context)) {
                firstDml = s;
            }
        }
        if (firstDdl != null && firstDml != null) {
            context.report(this, firstDml, "This file mixes schema changes (line " + firstDdl.line()
                    + ") with data changes to an existing table (" + firstDml.kind() + " " + firstDml.table() + ").");
        }
    }

    /** Seeding a table created earlier in the same file touches nobody's data. */
    private static boolean createdBefore(ParsedStatement dml, RuleContext context) {
        for (ParsedStatement s : context.migration().allStatements()) {
            if (s == dml) {
                return false;
            }
            if ((s.kind() == io.migrationrunbook.lint.StatementKind.CREATE_TABLE
                    || s.kind() == io.migrationrunbook.lint.StatementKind.CREATE_TABLE_AS)
                    && s.table() != null && bare(s.table()).equals(bare(dml.table()))) {
                return true;
            }
        }
        return false;
    }

    private static String bare(String table) {
        int dot = table.lastIndexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }
}
