package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** DROP TABLE of an existing table. */
public final class BanDropTable extends BaseRule {

    public static final String ID = "ban-drop-table";

    public BanDropTable() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on the table (and on tables referencing it with CASCADE)",
                "Data is lost for good and every running query on the table fails.",
                "Stop using the table first, keep a backup (pg_dump -t), then drop it in a later, approved release.",
                List.of("ban-drop-table"), List.of("DS102"));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() != StatementKind.DROP || !"TABLE".equals(s.objectType())) {
            return;
        }
        List<String> existing = s.names().stream().filter(context::isExistingTable).toList();
        if (!existing.isEmpty()) {
            context.report(this, s, "Dropping table " + String.join(", ", existing) + (s.has("CASCADE") ? " with CASCADE" : "")
                    + " loses its data and breaks its readers.");
        }
    }
}
