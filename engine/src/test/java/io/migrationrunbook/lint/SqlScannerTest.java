package io.migrationrunbook.lint;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlScannerTest {

    private static List<SqlStatement> split(String sql) {
        return SqlScript.parse(sql).statements();
    }

    @Test
    void dollarQuotedBodiesKeepTheirSemicolons() {
        List<SqlStatement> s = split("""
                CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
                CREATE FUNCTION g() RETURNS trigger AS $fn$
                BEGIN
                  RAISE NOTICE 'a;b $$ not the end';
                  RETURN NEW;
                END;
                $fn$ LANGUAGE plpgsql;
                SELECT 1;
                """);
        assertThat(s).hasSize(3);
        assertThat(s.get(1).startLine()).isEqualTo(2);
        assertThat(s.get(1).endLine()).isEqualTo(7);
        assertThat(s.get(2).text()).isEqualTo("SELECT 1;");
        assertThat(s.get(2).startLine()).isEqualTo(8);
    }

    @Test
    void nestedBlockCommentsAndLineCommentsAreNotStatements() {
        List<SqlStatement> s = split("""
                /* outer /* inner; */ still comment; */
                -- a comment; with a semicolon
                SELECT 1 /* ; */ ; -- trailing
                SELECT 2;
                """);
        assertThat(s).extracting(SqlStatement::text).containsExactly("SELECT 1 /* ; */ ;", "SELECT 2;");
        assertThat(s.get(0).leadingComments()).hasSize(2);
        assertThat(s.get(0).startLine()).isEqualTo(3);
    }

    @Test
    void escapeStringsStandardStringsAndQuotedIdentifiers() {
        List<SqlStatement> s = split("""
                SELECT E'it\\'s; \\\\' AS "we;ird""name", 'O''Reilly; x', 'back\\';
                SELECT U&'d\\0061t;a', B'1010', X'1F';
                """);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).text()).endsWith("'back\\';");
    }

    @Test
    void copyFromStdinDataIsNotSql() {
        SqlScript script = SqlScript.parse("""
                COPY users (email, note) FROM stdin;
                a@b.c\tdrop table x;
                d@e.f\t'unterminated
                \\.
                SELECT 1;
                """);
        List<SqlStatement> s = script.statements();
        assertThat(s).hasSize(2);
        assertThat(s.get(0).copyData().text()).contains("drop table x;").contains("\\.");
        assertThat(s.get(1).text()).isEqualTo("SELECT 1;");
        assertThat(s.get(1).startLine()).isEqualTo(5);
    }

    @Test
    void beginAtomicBodiesStayOneStatement() {
        List<SqlStatement> s = split("""
                CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT CASE WHEN a > 0 THEN a ELSE 0 END;
                  SELECT a + b;
                END;
                SELECT 3;
                """);
        assertThat(s).hasSize(2);
        assertThat(s.get(1).text()).isEqualTo("SELECT 3;");
    }

    @Test
    void unterminatedConstructsRunToTheEndWithoutFailing() {
        assertThat(split("SELECT 'open")).hasSize(1);
        assertThat(split("SELECT $$ open")).hasSize(1);
        assertThat(split("/* open")).isEmpty();
        assertThat(split("SELECT \"open")).hasSize(1);
        assertThat(split("")).isEmpty();
    }

    @Test
    void positionalParametersAreNotDollarQuotes() {
        List<Token> tokens = SqlScanner.tokenize("PREPARE p AS SELECT $1 + $2; SELECT a$b FROM t");
        assertThat(tokens).filteredOn(t -> t.type() == Token.Type.PARAMETER).hasSize(2);
        assertThat(tokens).filteredOn(t -> t.type() == Token.Type.WORD).extracting(Token::text).contains("a$b");
    }

    @Test
    void psqlMetaCommandsAreSkipped() {
        List<SqlStatement> s = split("""
                \\set ON_ERROR_STOP on
                SELECT 1;
                """);
        assertThat(s).extracting(SqlStatement::text).containsExactly("SELECT 1;");
    }
}
