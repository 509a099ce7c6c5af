package io.migrationrunbook.lint;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.migrationrunbook.migrate.Placeholders;

import java.nio.file.Path;
import java.util.List;

/**
 * One migration file, parsed, with the transaction each statement runs in: what lint, the classifier, precheck and
 * rehearsal share.
 *
 * @param file          the file path as given
 * @param name          the file name
 * @param version       the Flyway version ({@code 1.2}), null for repeatable or non-Flyway files
 * @param description   the Flyway description ({@code add_email})
 * @param mode          how Flyway runs the file
 * @param statements    the statements in order
 * @param inTransaction for each statement, whether it runs inside a transaction block
 * @param comments      every comment of the file (file-level directives)
 * @param unresolvedPlaceholders Flyway placeholders the file uses without a value (analysed as identifiers of their
 *                      name); Flyway's built-ins ({@code ${flyway:...}}) are not listed
 */
public record Migration(@JsonIgnore Path file, String name, String version, String description, TransactionMode mode,
                        @JsonIgnore List<ParsedStatement> statements, @JsonIgnore List<Boolean> inTransaction,
                        @JsonIgnore List<Token> comments, @JsonIgnore List<Placeholders.Use> unresolvedPlaceholders) {

    public enum TransactionMode {
        /** Flyway wraps the whole file in one transaction (its default). */
        SINGLE_TRANSACTION,
        /** Flyway runs the statements one by one without a transaction: it detected a statement that cannot run in one,
         * or the file's {@code .sql.conf} says {@code executeInTransaction=false}. Explicit BEGIN/COMMIT still counts. */
        NO_TRANSACTION
    }

    public int statementCount() {
        return statements.size();
    }

    /**
     * Whether the statement runs inside a transaction block. A statement of a DO block always does: the DO runs
     * as one statement (PostgreSQL refuses CONCURRENTLY and VACUUM there).
     */
    public boolean inTransaction(ParsedStatement statement) {
        return statement.statement().inDoBlock() || inTransaction.get(statement.statement().index());
    }

    /**
     * Every statement that runs when the file is applied, in order: the file's statements, each DO block followed by
     * the statements of its body (recursively). What lint and classification check; {@link #statements()} is what
     * Flyway sends to the server (and the rehearsal replays).
     */
    @JsonIgnore
    public List<ParsedStatement> allStatements() {
        if (statements.stream().noneMatch(s -> !s.block().isEmpty())) {
            return statements;
        }
        List<ParsedStatement> all = new java.util.ArrayList<>();
        for (ParsedStatement s : statements) {
            addWithBlock(s, all);
        }
        return all;
    }

    private static void addWithBlock(ParsedStatement s, List<ParsedStatement> all) {
        all.add(s);
        for (ParsedStatement inner : s.block()) {
            addWithBlock(inner, all);
        }
    }

    public String path() {
        return file == null ? name : file.toString();
    }
}
