package io.migrationrunbook.lint;

import io.migrationrunbook.lint.rules.AddingRequiredField;
import io.migrationrunbook.lint.rules.ConcurrentIndexInTransaction;
import io.migrationrunbook.lint.rules.MixedDdlDml;
import io.migrationrunbook.lint.rules.RequireConcurrentIndexCreation;
import io.migrationrunbook.lint.rules.UnparsedStatement;
import io.migrationrunbook.policy.ChangeClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

/** DO blocks run inside the migration: the static statements of their PL/pgSQL bodies are linted and classified. */
class DoBlockTest {

    private static final String ISSUE_EXAMPLE = "DO $$ BEGIN ALTER TABLE accounts ADD COLUMN region text NOT NULL; "
            + "CREATE INDEX ix ON accounts(region); END $$;";

    @Test
    void theStatementsOfAOneLineDoBlockAreLinted() {
        LintReport report = lint(ISSUE_EXAMPLE);
        assertThat(findings(report, AddingRequiredField.ID)).singleElement()
                .matches(f -> f.line() == 1 && f.statement().startsWith("ALTER TABLE accounts ADD COLUMN region"));
        assertThat(findings(report, RequireConcurrentIndexCreation.ID)).singleElement()
                .matches(f -> f.statement().startsWith("CREATE INDEX ix ON accounts"));
        assertThat(report.summary().statements()).as("statements Flyway sends").isEqualTo(1);
        assertThat(report.findings()).noneMatch(f -> f.rule().equals(UnparsedStatement.ID));
    }

    @Test
    void findingsPointAtTheLineInsideTheBlockThroughControlFlow() {
        String sql = """
                -- V7: add a region
                DO $body$
                <<main>>
                DECLARE
                  n bigint := 0;   -- a comment; with a semicolon
                  c CURSOR FOR SELECT id FROM accounts;
                BEGIN
                  n := (SELECT count(*) FROM accounts);
                  IF n > 0 AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attname = 'region') THEN
                    RAISE NOTICE 'adding region to % rows; it''s fine', n;
                    ALTER TABLE accounts
                      ADD COLUMN region text NOT NULL;
                  ELSIF n < 0 THEN
                    PERFORM pg_sleep(0);
                  ELSE
                    NULL;
                  END IF;
                  FOR i IN 1..3 LOOP
                    EXIT WHEN i > 2;
                    CREATE INDEX ix_region ON accounts (region);
                  END LOOP;
                  CASE n WHEN 0 THEN
                    UPDATE accounts SET region = 'eu';
                  ELSE
                    GET DIAGNOSTICS n = ROW_COUNT;
                  END CASE;
                  BEGIN
                    ALTER TABLE accounts RENAME COLUMN name TO full_name;
                  EXCEPTION WHEN duplicate_column THEN
                    RAISE NOTICE 'already renamed';
                  END;
                END main
                $body$;
                """;
        LintReport report = lint(sql);
        assertThat(findings(report, AddingRequiredField.ID)).singleElement().matches(f -> f.line() == 11);
        assertThat(findings(report, RequireConcurrentIndexCreation.ID)).singleElement().matches(f -> f.line() == 20);
        assertThat(findings(report, "backfill-without-where")).singleElement().matches(f -> f.line() == 23);
        assertThat(findings(report, "renaming-column")).singleElement().matches(f -> f.line() == 28);
        assertThat(findings(report, MixedDdlDml.ID)).hasSize(1);
        assertThat(report.findings()).as("PL/pgSQL syntax is skipped, not reported")
                .noneMatch(f -> f.rule().equals(UnparsedStatement.ID));
    }

    @Test
    void executeIsReportedAsDynamicAndNotAnalysed() {
        LintReport report = lint("""
                DO $$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting') THEN
                    EXECUTE 'DROP TABLE users';
                  END IF;
                  FOR r IN EXECUTE format('SELECT %I FROM t', 'id') LOOP
                    RAISE NOTICE '%', r;
                  END LOOP;
                END $$;
                """);
        assertThat(findings(report, UnparsedStatement.ID)).extracting(Finding::line).containsExactly(4, 6);
        assertThat(findings(report, UnparsedStatement.ID)).allMatch(f -> f.severity() == Severity.INFO
                && f.message().contains("dynamic SQL") && f.message().contains("cannot be checked statically"));
        assertThat(findings(report, "ban-drop-table")).as("EXECUTE strings are not linted").isEmpty();
    }

    @Test
    void functionAndProcedureBodiesAreNotLintedAsIfTheyRanNow() {
        LintReport report = lint("""
                CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                  DROP TABLE users;
                  UPDATE orders SET status = 'x';
                END $$;
                CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE users DROP COLUMN email; END $$;
                """);
        assertThat(report.findings()).isEmpty();
        assertThat(report.classification().classes()).containsExactly(ChangeClass.NON_BREAKING);
    }

    @Test
    void otherLanguagesAndEscapeStringBodiesAreNotAnalysedButReported() {
        assertThat(findings(lint("DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE users') $$;"), UnparsedStatement.ID))
                .singleElement().matches(f -> f.message().contains("plpython3u"));
        assertThat(findings(lint("DO E'BEGIN DROP TABLE users; END';"), UnparsedStatement.ID)).singleElement()
                .matches(f -> f.message().contains("dollar quoting"));
        // a plain string body is read with '' as a quote
        LintReport quoted = lint("DO 'BEGIN RAISE NOTICE ''x; y''; DROP TABLE users; END' LANGUAGE plpgsql;");
        assertThat(findings(quoted, "ban-drop-table")).hasSize(1);
        assertThat(findings(quoted, UnparsedStatement.ID)).isEmpty();
    }

    @Test
    void unknownCommandsInsideTheBodyAreUnparsedInfoAndNothingThrows() {
        LintReport report = lint("DO $$\nBEGIN\n  FROBNICATE accounts;\n  IF broken\nEND $$;");
        assertThat(findings(report, UnparsedStatement.ID)).extracting(Finding::line).containsExactly(3, 4);
        for (String sql : new String[] {"DO;", "DO $$", "DO $$ $$;", "DO $$ BEGIN", "DO $$ DECLARE x int; $$;",
                "DO $$ BEGIN CASE $$;", "DO $$ BEGIN FOR i IN 1..2 $$;", "DO $$ <<l", "DO $$ BEGIN x[1 := 2; END $$;",
                "DO $$ BEGIN DO $i$ BEGIN DROP VIEW v; END $i$; END $$;", "DO '", "DO $$ BEGIN ; ; END; END; $$;"}) {
            LintReport r = lint(sql);
            assertThat(r.findings()).as(sql).noneMatch(f -> f.message().contains("could not check")
                    || f.message().contains("could not classify"));
        }
    }

    @Test
    void theDoBlockCorpusFileCutAnywhereOrWithOpenersInjectedNeverBreaksTheWalk() throws Exception {
        String sql = Files.readString(Path.of(getClass().getResource("/lint-corpus/V9006__do_blocks.sql").toURI()));
        int linted = 0;
        for (int at = 0; at <= sql.length(); at += 3) {
            for (String mutated : new String[] {sql.substring(0, at), sql.substring(0, at) + "'$$/*\"" + sql.substring(at)}) {
                LintReport report = lint(mutated);
                assertThat(report.findings()).as("cut at %d", at).noneMatch(f -> f.message().contains("could not check")
                        || f.message().contains("could not classify") || f.message().contains("could not be followed"));
                linted++;
            }
        }
        assertThat(linted).isGreaterThan(1000);
    }

    @Test
    void nestedDoBlocksAndConcurrentIndexesInsideABlock() {
        LintReport report = lint("""
                DO $outer$
                BEGIN
                  DO $inner$ BEGIN ALTER TABLE users DROP COLUMN legacy; END $inner$;
                  CREATE INDEX CONCURRENTLY ix ON users (email);
                END $outer$;
                """);
        assertThat(findings(report, "ban-drop-column")).singleElement().matches(f -> f.line() == 3);
        assertThat(findings(report, ConcurrentIndexInTransaction.ID)).singleElement()
                .matches(f -> f.line() == 4 && f.message().contains("inside a DO block"));
    }

    @Test
    void suppressionsInFrontOfTheDoBlockOrOfAStatementInsideIt() {
        LintReport before = lint("""
                -- runbook:allow adding-required-field accounts is empty in every environment
                DO $$ BEGIN ALTER TABLE accounts ADD COLUMN region text NOT NULL; END $$;
                """);
        assertThat(findings(before, AddingRequiredField.ID)).isEmpty();
        assertThat(before.suppressed()).singleElement().matches(s -> s.by().equals("runbook:allow"));

        LintReport inside = lint("""
                DO $$
                BEGIN
                  -- squawk-ignore renaming-column
                  ALTER TABLE users RENAME COLUMN a TO b;
                  ALTER TABLE users RENAME COLUMN c TO d;
                END $$;
                """);
        assertThat(findings(inside, "renaming-column")).singleElement().matches(f -> f.line() == 5);
        assertThat(inside.suppressed()).singleElement().matches(s -> s.finding().line() == 4);
    }

    @Test
    void theBlocksChangesAreClassifiedBreakingAndLocking() {
        LintReport report = lint(ISSUE_EXAMPLE);
        assertThat(report.classification().classes()).contains(ChangeClass.BREAKING, ChangeClass.LOCKING);
        assertThat(report.classification().consumersMustPause()).isTrue();
        assertThat(report.decision().needsApproval()).isTrue();
        assertThat(report.classification().migrations().get(0).changes())
                .anyMatch(c -> c.classes().contains(ChangeClass.BREAKING) && c.reason().contains("accounts.region"))
                .anyMatch(c -> c.classes().contains(ChangeClass.LOCKING) && c.reason().contains("CREATE INDEX"));

        // a table the block creates is new: changing it later in the file breaks nobody
        LintReport created = lint("DO $$ BEGIN CREATE TABLE t (id int); END $$;\nALTER TABLE t ADD COLUMN x int NOT NULL;");
        assertThat(findings(created, AddingRequiredField.ID)).isEmpty();
        assertThat(created.classification().classes()).containsExactly(ChangeClass.NON_BREAKING);
    }

    @Test
    void anUnanalysedDoBlockInAFileIsCountedAndTheCliExampleWorks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V7__x.sql"), ISSUE_EXAMPLE + "\n");
        LintReport report = Linter.lint(List.of(dir), LintSettings.defaults());
        assertThat(report.findings()).extracting(Finding::rule)
                .contains(AddingRequiredField.ID, RequireConcurrentIndexCreation.ID);
        assertThat(report.summary().passed()).isFalse();
        assertThat(report.files().get(0).unparsed()).isZero();
        assertThat(report.files().get(0).statements()).isEqualTo(1);
    }
}
