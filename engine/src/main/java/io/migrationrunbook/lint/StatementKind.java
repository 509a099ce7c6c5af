package io.migrationrunbook.lint;

/** What a statement does, as far as migration safety is concerned. */
public enum StatementKind {
    CREATE_TABLE(Category.DDL),
    CREATE_TABLE_AS(Category.DDL),
    ALTER_TABLE(Category.DDL),
    DROP(Category.DDL),
    CREATE_INDEX(Category.DDL),
    ALTER_INDEX(Category.DDL),
    CREATE_VIEW(Category.DDL),
    CREATE_FUNCTION(Category.DDL),
    CREATE_TRIGGER(Category.DDL),
    CREATE_TYPE(Category.DDL),
    ALTER_TYPE(Category.DDL),
    CREATE_OTHER(Category.DDL),
    ALTER_OTHER(Category.DDL),
    COMMENT(Category.DDL),
    GRANT(Category.DDL),
    TRUNCATE(Category.DML),
    UPDATE(Category.DML),
    DELETE(Category.DML),
    INSERT(Category.DML),
    MERGE(Category.DML),
    COPY(Category.DML),
    SELECT(Category.NEUTRAL),
    VACUUM(Category.MAINTENANCE),
    ANALYZE(Category.MAINTENANCE),
    CLUSTER(Category.MAINTENANCE),
    REINDEX(Category.MAINTENANCE),
    REFRESH_MATERIALIZED_VIEW(Category.MAINTENANCE),
    BEGIN(Category.TRANSACTION),
    COMMIT(Category.TRANSACTION),
    ROLLBACK(Category.TRANSACTION),
    SAVEPOINT(Category.TRANSACTION),
    SET(Category.NEUTRAL),
    LOCK(Category.NEUTRAL),
    DO(Category.NEUTRAL),
    CALL(Category.NEUTRAL),
    OTHER(Category.NEUTRAL),
    /** The first word is not a PostgreSQL command this linter knows. */
    UNKNOWN(Category.NEUTRAL);

    public enum Category { DDL, DML, MAINTENANCE, TRANSACTION, NEUTRAL }

    private final Category category;

    StatementKind(Category category) {
        this.category = category;
    }

    public Category category() {
        return category;
    }

    public boolean isDdl() {
        return category == Category.DDL;
    }

    /** Statements that change rows (TRUNCATE counts: it empties a table). */
    public boolean isDml() {
        return category == Category.DML;
    }
}
