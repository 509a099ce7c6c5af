package io.migrationrunbook.lint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatementRecognizerTest {

    private static ParsedStatement parse(String sql) {
        return StatementRecognizer.recognize(SqlScript.parse(sql).statements().get(0));
    }

    @Test
    void alterTableWithSeveralActions() {
        ParsedStatement s = parse("ALTER TABLE IF EXISTS ONLY public.\"Users\" ADD COLUMN IF NOT EXISTS a int NOT NULL DEFAULT 0, "
                + "ALTER COLUMN b SET DATA TYPE varchar(20) USING b::varchar, DROP COLUMN c CASCADE, "
                + "ADD CONSTRAINT fk FOREIGN KEY (x) REFERENCES y (id) NOT VALID;");
        assertThat(s.kind()).isEqualTo(StatementKind.ALTER_TABLE);
        assertThat(s.table()).isEqualTo("public.Users");
        assertThat(s.actions()).extracting(AlterAction::type).containsExactly(AlterAction.Type.ADD_COLUMN,
                AlterAction.Type.ALTER_COLUMN_TYPE, AlterAction.Type.DROP_COLUMN, AlterAction.Type.ADD_CONSTRAINT);
        ColumnDefinition a = s.actions().get(0).definition();
        assertThat(a.notNull()).isTrue();
        assertThat(a.defaultExpr()).isEqualTo("0");
        assertThat(s.actions().get(1).newType()).hasToString("varchar(20)");
        assertThat(s.actions().get(3).constraint()).isEqualTo(AlterAction.ConstraintKind.FOREIGN_KEY);
        assertThat(s.actions().get(3).notValid()).isTrue();
    }

    @Test
    void createIndexVariants() {
        ParsedStatement s = parse("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON ONLY orders USING btree (a) WHERE b;");
        assertThat(s.kind()).isEqualTo(StatementKind.CREATE_INDEX);
        assertThat(s.unique()).isTrue();
        assertThat(s.concurrently()).isTrue();
        assertThat(s.table()).isEqualTo("orders");
        assertThat(s.flywayRunsOutsideTransaction()).isTrue();
        assertThat(parse("CREATE INDEX ON orders (a);").table()).isEqualTo("orders");
    }

    @Test
    void dmlFactsComeFromJsqlParser() {
        ParsedStatement update = parse("UPDATE accounts a SET x = 1 FROM owners o WHERE o.id = a.owner_id RETURNING a.id;");
        assertThat(update.kind()).isEqualTo(StatementKind.UPDATE);
        assertThat(update.dml().table()).isEqualTo("accounts");
        assertThat(update.dml().hasWhere()).isTrue();
        assertThat(update.dml().parser()).isEqualTo("jsqlparser");
        ParsedStatement insert = parse("INSERT INTO archive (id) SELECT id FROM events e JOIN big b ON b.id = e.id;");
        assertThat(insert.dml().sourceTables()).containsExactlyInAnyOrder("events", "big");
        ParsedStatement delete = parse("WITH old AS (SELECT id FROM t) DELETE FROM t;");
        assertThat(delete.kind()).isEqualTo(StatementKind.DELETE);
        assertThat(delete.dml().hasWhere()).isFalse();
    }

    @Test
    void dmlJsqlParserCannotFollowFallsBackToTokens() {
        ParsedStatement s = parse("UPDATE ONLY t SET v = v || $tag$x$tag$ WHERE id = ANY($1::int[]);");
        assertThat(s.kind()).isEqualTo(StatementKind.UPDATE);
        assertThat(s.table()).isEqualTo("t");
        assertThat(s.dml().hasWhere()).isTrue();
    }

    @Test
    void unknownCommandsAreReportedNotThrown() {
        ParsedStatement s = parse("FROBNICATE the table;");
        assertThat(s.kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(s.unparsed()).contains("FROBNICATE");
    }

    @Test
    void dropAndMaintenance() {
        ParsedStatement drop = parse("DROP INDEX CONCURRENTLY IF EXISTS a, b CASCADE;");
        assertThat(drop.objectType()).isEqualTo("INDEX");
        assertThat(drop.names()).containsExactly("a", "b");
        assertThat(drop.concurrently()).isTrue();
        assertThat(parse("DROP MATERIALIZED VIEW mv;").objectType()).isEqualTo("MATERIALIZED VIEW");
        assertThat(parse("VACUUM (FULL, ANALYZE) t;").has("FULL")).isTrue();
        assertThat(parse("VACUUM (FULL false) t;").has("FULL")).isFalse();
        assertThat(parse("REINDEX (VERBOSE) TABLE CONCURRENTLY t;").concurrently()).isTrue();
        assertThat(parse("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';").has("ADD_VALUE")).isTrue();
    }

    @Test
    void typeNormalisation() {
        assertThat(SqlType.parse("character varying(20)")).hasToString("varchar(20)");
        assertThat(SqlType.parse("timestamp with time zone")).hasToString("timestamptz");
        assertThat(SqlType.parse("numeric(10,2)")).hasToString("numeric(10,2)");
        assertThat(SqlType.parse("int4[]")).hasToString("integer[]");
        assertThat(SqlType.changeIsRewriteFree(SqlType.parse("varchar(10)"), SqlType.parse("varchar(20)"))).isTrue();
        assertThat(SqlType.changeIsRewriteFree(SqlType.parse("varchar(20)"), SqlType.parse("varchar(10)"))).isFalse();
        assertThat(SqlType.changeIsRewriteFree(SqlType.parse("varchar(20)"), SqlType.parse("text"))).isTrue();
        assertThat(SqlType.changeIsRewriteFree(SqlType.parse("numeric(10,2)"), SqlType.parse("numeric(12,2)"))).isTrue();
        assertThat(SqlType.changeIsRewriteFree(SqlType.parse("numeric(10,2)"), SqlType.parse("numeric(12,3)"))).isFalse();
        assertThat(SqlType.changeIsRewriteFree(SqlType.parse("integer"), SqlType.parse("bigint"))).isFalse();
        assertThat(SqlType.changeIsRewriteFree(SqlType.parse("timestamp"), SqlType.parse("timestamptz"))).isFalse();
    }
}
