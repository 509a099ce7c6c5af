package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/**
 * Off by default: {@code runbook migrate} sets lock_timeout and statement_timeout on every migration's session and
 * retries on lock timeout, so a SET in each file is redundant. Enable it ({@code --enable require-lock-timeout}) for
 * migrations applied by other tools.
 */
public final class RequireLockTimeout extends BaseRule {

    public static final String ID = "require-lock-timeout";

    public RequireLockTimeout() {
        super(ID, Severity.WARNING, "(any lock the DDL requests)",
                "Without lock_timeout a DDL statement waiting for its lock makes every later query on the table queue behind it.",
                "SET lock_timeout = '2s' (and statement_timeout) before the first DDL; runbook migrate does it for you.",
                List.of("require-lock-timeout", "require-statement-timeout"), List.of());
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public void checkFile(RuleContext context) {
        boolean timeoutSet = false;
        for (ParsedStatement s : context.migration().allStatements()) {
            if (s.kind() == StatementKind.SET && s.statement().text().toLowerCase(java.util.Locale.ROOT).contains("lock_timeout")) {
                timeoutSet = true;
            }
            if ((s.kind() == StatementKind.ALTER_TABLE || s.kind() == StatementKind.CREATE_INDEX && !s.concurrently()
                    || s.kind() == StatementKind.DROP) && context.isExistingTable(s.table() == null ? "?" : s.table())
                    && !timeoutSet) {
                context.report(this, s, "No SET lock_timeout before this DDL in " + context.migration().name() + ".");
                return;
            }
        }
    }
}
