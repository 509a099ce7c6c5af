package io.migrationrunbook.lint;

import java.util.List;

/**
 * A column as written in CREATE TABLE or ALTER TABLE ... ADD COLUMN.
 *
 * @param name           column name (folded as PostgreSQL does)
 * @param type           the declared type, normalised ({@code varchar(20)}, {@code bigint}, {@code timestamptz})
 * @param notNull        NOT NULL or PRIMARY KEY
 * @param defaultExpr    the DEFAULT expression text, or null
 * @param defaultTokens  its tokens (empty when there is no default)
 * @param identity       GENERATED ... AS IDENTITY
 * @param storedGenerated GENERATED ALWAYS AS (...) STORED
 * @param serial         serial / bigserial / smallserial
 * @param primaryKey     PRIMARY KEY inline
 * @param unique         UNIQUE inline
 * @param references     REFERENCES inline (a foreign key)
 * @param check          CHECK inline
 */
public record ColumnDefinition(String name, SqlType type, boolean notNull, String defaultExpr, List<Token> defaultTokens,
                               boolean identity, boolean storedGenerated, boolean serial, boolean primaryKey,
                               boolean unique, boolean references, boolean check) {

    public boolean hasDefault() {
        return defaultExpr != null;
    }
}
