package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Migration;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** BEGIN/COMMIT/ROLLBACK inside a file Flyway already runs in one transaction. */
public final class TransactionNesting extends BaseRule {

    public static final String ID = "transaction-nesting";

    public TransactionNesting() {
        super(ID, Severity.WARNING, "none (transaction control)",
                "Flyway already wraps the file in a transaction: BEGIN only warns, but COMMIT ends Flyway's transaction "
                        + "half-way, so a later failure leaves the first part applied and the schema history wrong.",
                "Remove BEGIN/COMMIT from Flyway migrations; split the file where a separate transaction is needed.",
                List.of("transaction-nesting"), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (context.migration().mode() != Migration.TransactionMode.SINGLE_TRANSACTION || context.migration().version() == null) {
            return;
        }
        if (s.kind() == StatementKind.BEGIN || s.kind() == StatementKind.COMMIT || s.kind() == StatementKind.ROLLBACK) {
            context.report(this, s, s.kind() + " inside " + context.migration().name()
                    + ", which Flyway already runs in one transaction.");
        }
    }
}
