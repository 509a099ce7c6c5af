package io.migrationrunbook.lint;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Set;

/**
 * A statement with what the linter understood of it. Rules, the classifier and the rehearsal read this model,
 * never the raw text.
 *
 * @param statement   the statement as written
 * @param kind        what it does
 * @param table       the table it acts on (ALTER TABLE, CREATE INDEX ... ON, DML, CREATE TABLE, CLUSTER ...), or null
 * @param objectType  DROP / REINDEX / CREATE object type in upper case ({@code TABLE}, {@code INDEX}, ...), or null
 * @param names       objects named by DROP, TRUNCATE, VACUUM, REINDEX (normalised)
 * @param concurrently CONCURRENTLY given
 * @param unique      CREATE UNIQUE INDEX
 * @param options     upper-case flags: FULL, CASCADE, IF_EXISTS, ADD_VALUE, ...
 * @param actions     ALTER TABLE actions
 * @param columns     CREATE TABLE columns
 * @param dml         facts for data-changing statements, or null
 * @param unparsed    why the statement could not be understood, or null when it was
 * @param block       for a DO block: the static SQL statements of its PL/pgSQL body in order (lines are file lines),
 *                    and its dynamic or unrecognised parts as not-analysed statements; empty otherwise
 */
public record ParsedStatement(SqlStatement statement, StatementKind kind, String table, String objectType, List<String> names,
                              boolean concurrently, boolean unique, Set<String> options, List<AlterAction> actions,
                              List<ColumnDefinition> columns, DmlFacts dml, String unparsed,
                              @JsonIgnore List<ParsedStatement> block) {

    /** A part the linter cannot analyse (dynamic SQL, an unrecognised PL/pgSQL construct): an info finding. */
    static ParsedStatement notAnalysed(SqlStatement statement, String why) {
        return new ParsedStatement(statement, StatementKind.OTHER, null, null, List.of(), false, false, Set.of(), List.of(),
                List.of(), null, why, List.of());
    }

    public int line() {
        return statement.startLine();
    }

    public boolean has(String option) {
        return options.contains(option);
    }

    @JsonIgnore
    public boolean isParsed() {
        return unparsed == null;
    }

    /**
     * Statements Flyway detects as unable to run inside a transaction: it then runs the whole file without one
     * (and refuses files mixing both kinds unless {@code mixed=true}).
     */
    @JsonIgnore
    public boolean flywayRunsOutsideTransaction() {
        return switch (kind) {
            case CREATE_INDEX -> concurrently;
            case DROP -> ("INDEX".equals(objectType) && concurrently) || "DATABASE".equals(objectType)
                    || "TABLESPACE".equals(objectType);
            case VACUUM -> true;
            case REINDEX -> "DATABASE".equals(objectType) || "SYSTEM".equals(objectType) || "SCHEMA".equals(objectType);
            case CREATE_OTHER -> "DATABASE".equals(objectType) || "TABLESPACE".equals(objectType)
                    || "SUBSCRIPTION".equals(objectType);
            case ALTER_OTHER -> "SYSTEM".equals(objectType);
            default -> false;
        };
    }

    /** Statements PostgreSQL itself refuses inside a transaction block. */
    @JsonIgnore
    public boolean cannotRunInTransaction() {
        if (concurrently && (kind == StatementKind.CREATE_INDEX || kind == StatementKind.REINDEX
                || (kind == StatementKind.DROP && "INDEX".equals(objectType)))) {
            return true;
        }
        if (kind == StatementKind.ALTER_TABLE) {
            for (AlterAction action : actions) {
                if (action.type() == AlterAction.Type.DETACH_PARTITION && action.concurrently()) {
                    return true;
                }
            }
        }
        return kind == StatementKind.VACUUM
                || (kind == StatementKind.REINDEX && ("DATABASE".equals(objectType) || "SYSTEM".equals(objectType)))
                || (kind == StatementKind.CREATE_OTHER && ("DATABASE".equals(objectType) || "TABLESPACE".equals(objectType)))
                || (kind == StatementKind.DROP && ("DATABASE".equals(objectType) || "TABLESPACE".equals(objectType)))
                || (kind == StatementKind.ALTER_OTHER && "SYSTEM".equals(objectType));
    }
}
