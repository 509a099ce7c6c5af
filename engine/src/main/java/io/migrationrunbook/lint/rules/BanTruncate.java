package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** TRUNCATE of an existing table. */
public final class BanTruncate extends BaseRule {

    public static final String ID = "ban-truncate";

    public BanTruncate() {
        super(ID, Severity.ERROR, "ACCESS EXCLUSIVE on each truncated table (CASCADE: on referencing tables too)",
                "Every row is deleted at once, with no WHERE and no way back but the backup; CASCADE empties referencing "
                        + "tables as well.",
                "Delete what must go in batches from a job, or archive the table first; never truncate production data "
                        + "in a migration.",
                List.of("ban-truncate-cascade"), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() != StatementKind.TRUNCATE) {
            return;
        }
        List<String> existing = s.names().stream().filter(context::isExistingTable).toList();
        if (!existing.isEmpty()) {
            context.report(this, s, "TRUNCATE " + String.join(", ", existing) + (s.has("CASCADE") ? " CASCADE" : "")
                    + " deletes every row.");
        }
    }
}
