package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Migration;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/**
 * CONCURRENTLY operations that will run inside a transaction (PostgreSQL refuses), or share a file with other
 * statements (Flyway then runs the whole file without a transaction, or refuses the mixed file).
 */
public final class ConcurrentIndexInTransaction extends BaseRule {

    public static final String ID = "concurrent-index-in-transaction";

    public ConcurrentIndexInTransaction() {
        super(ID, Severity.ERROR, "none (the statement fails)",
                "CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY cannot run in a "
                        + "transaction block: the migration fails. Flyway only detects CREATE/DROP INDEX CONCURRENTLY; when it "
                        + "does, every other statement of the file runs without a transaction too.",
                "One CONCURRENTLY statement per migration file, with no BEGIN/COMMIT; for REINDEX/DETACH ... CONCURRENTLY "
                        + "add V<n>__x.sql.conf with executeInTransaction=false.",
                List.of("ban-concurrent-index-creation-in-transaction"), List.of());
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (!s.cannotRunInTransaction() || !isConcurrentOperation(s)) {
            return;
        }
        if (s.statement().inDoBlock()) {
            context.report(this, s, what(s) + " inside a DO block: PostgreSQL refuses it there (a DO block runs as one "
                    + "statement, in a transaction).");
        } else if (context.inTransaction(s)) {
            boolean explicit = context.migration().mode() == Migration.TransactionMode.NO_TRANSACTION;
            context.report(this, s, what(s) + " runs inside a transaction "
                    + (explicit ? "(explicit BEGIN in the file)" : "(Flyway runs this file in one transaction: it does not "
                    + "detect this statement as non-transactional)") + "; PostgreSQL refuses it.");
        } else if (context.migration().statements().stream().filter(o -> isSignificant(o) && o != s).count() > 0) {
            context.report(this, s, what(s) + " shares its file with other statements: Flyway refuses a file mixing "
                    + "transactional and non-transactional statements (unless mixed=true, and then none of them runs in a "
                    + "transaction, so a failure half-way leaves the file partly applied).");
        }
    }

    private static boolean isConcurrentOperation(ParsedStatement s) {
        return s.concurrently() || s.kind() == StatementKind.ALTER_TABLE;
    }

    private static boolean isSignificant(ParsedStatement s) {
        return switch (s.kind()) {
            case SET, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SELECT -> false;
            default -> true;
        };
    }

    private static String what(ParsedStatement s) {
        return switch (s.kind()) {
            case CREATE_INDEX -> "CREATE INDEX CONCURRENTLY";
            case DROP -> "DROP INDEX CONCURRENTLY";
            case REINDEX -> "REINDEX CONCURRENTLY";
            default -> "DETACH PARTITION CONCURRENTLY";
        };
    }
}
