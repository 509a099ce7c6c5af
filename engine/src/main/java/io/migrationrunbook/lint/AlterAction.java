package io.migrationrunbook.lint;

import java.util.List;

/**
 * One action of ALTER TABLE (a statement may hold several, separated by commas).
 *
 * @param type       what the action does
 * @param column     the column it acts on, or null
 * @param definition the column definition for ADD COLUMN
 * @param newType    the new type for ALTER COLUMN ... TYPE
 * @param constraint the constraint kind for ADD CONSTRAINT (and inline constraints of ADD COLUMN)
 * @param notValid   ADD CONSTRAINT ... NOT VALID
 * @param usingIndex ADD CONSTRAINT ... USING INDEX (no new index build)
 * @param newName    target of RENAME
 * @param concurrently DETACH PARTITION ... CONCURRENTLY
 * @param tokens     the action's tokens
 */
public record AlterAction(Type type, String column, ColumnDefinition definition, SqlType newType, ConstraintKind constraint,
                          boolean notValid, boolean usingIndex, String newName, boolean concurrently, List<Token> tokens) {

    public enum Type {
        ADD_COLUMN, DROP_COLUMN, ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT,
        ADD_CONSTRAINT, VALIDATE_CONSTRAINT, DROP_CONSTRAINT, RENAME_COLUMN, RENAME_TABLE, RENAME_CONSTRAINT,
        SET_SCHEMA, SET_TABLESPACE, SET_LOGGED, SET_UNLOGGED, ATTACH_PARTITION, DETACH_PARTITION,
        ADD_IDENTITY, ENABLE_DISABLE_TRIGGER, OTHER
    }

    public enum ConstraintKind { FOREIGN_KEY, CHECK, UNIQUE, PRIMARY_KEY, EXCLUDE, NOT_NULL, OTHER }

    static AlterAction of(Type type, String column, List<Token> tokens) {
        return new AlterAction(type, column, null, null, null, false, false, null, false, tokens);
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        for (Token t : tokens) {
            if (b.length() > 0 && t.type() != Token.Type.COMMA && t.type() != Token.Type.RIGHT_PAREN
                    && t.type() != Token.Type.DOT && !b.toString().endsWith(".") && !b.toString().endsWith("(")) {
                b.append(' ');
            }
            b.append(t.text());
        }
        return b.toString();
    }
}
