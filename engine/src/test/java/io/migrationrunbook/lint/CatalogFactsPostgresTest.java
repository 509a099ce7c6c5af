package io.migrationrunbook.lint;

import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.lint.rules.BackfillWithoutWhere;
import io.migrationrunbook.lint.rules.ChangingColumnType;
import io.migrationrunbook.lint.rules.LargeBackfill;
import io.migrationrunbook.lint.rules.RequireConcurrentIndexCreation;
import io.migrationrunbook.policy.ChangeClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.migrationrunbook.lint.LintTesting.findings;
import static org.assertj.core.api.Assertions.assertThat;

/** Row estimates and column types from a real PostgreSQL: the backfill threshold is decided by pg_class.reltuples. */
@ExtendWith(PostgresExtension.class)
class CatalogFactsPostgresTest {

    private static LintSettings settings(TestDatabase db, long threshold) {
        return LintSettings.defaults().withBackfillRowThreshold(threshold)
                .withDatabase(new DatabaseTarget(db.jdbcUrl(), db.user(), Secret.of(db.password())));
    }

    private static void seed(TestDatabase db) {
        db.execute("CREATE TABLE big (id int PRIMARY KEY, status text, amount numeric(10,2))",
                "INSERT INTO big SELECT g, 'new', g FROM generate_series(1, 5000) g",
                "CREATE TABLE small (id int PRIMARY KEY, status text)",
                "INSERT INTO small SELECT g, 'new' FROM generate_series(1, 20) g",
                "CREATE TABLE archive (id int, status text)",
                "ANALYZE big", "ANALYZE small", "ANALYZE archive");
    }

    @Test
    void reltuplesDecidesWhetherAnUnboundedUpdateIsABackfill(TestDatabase db) {
        seed(db);
        assertThat(db.queryLong("SELECT reltuples::bigint FROM pg_class WHERE relname = 'big'")).isEqualTo(5000);
        LintSettings threshold1000 = settings(db, 1000);
        LintReport big = LintTesting.lint("UPDATE big SET status = 'old';", threshold1000);
        assertThat(findings(big, BackfillWithoutWhere.ID)).singleElement()
                .matches(f -> f.message().contains("5000 rows"));
        assertThat(big.classification().classes()).contains(ChangeClass.BACKFILL);
        assertThat(big.decision().allowed()).isFalse();

        LintReport small = LintTesting.lint("UPDATE small SET status = 'old';", threshold1000);
        assertThat(findings(small, BackfillWithoutWhere.ID)).isEmpty();
        assertThat(small.classification().classes()).doesNotContain(ChangeClass.BACKFILL);

        // the same statement under a higher threshold is not a backfill
        assertThat(findings(LintTesting.lint("UPDATE big SET status = 'old';", settings(db, 10_000)), BackfillWithoutWhere.ID)).isEmpty();
    }

    @Test
    void thePlannerEstimatesUpdatesWithAWhereClauseAndInsertSelect(TestDatabase db) {
        seed(db);
        LintSettings s = settings(db, 1000);
        assertThat(findings(LintTesting.lint("UPDATE big SET status = 'old' WHERE id > 100;", s), LargeBackfill.ID))
                .singleElement().matches(f -> f.message().contains("(planner)"));
        assertThat(findings(LintTesting.lint("UPDATE big SET status = 'old' WHERE id = 7;", s), LargeBackfill.ID)).isEmpty();
        assertThat(findings(LintTesting.lint("INSERT INTO archive SELECT id, status FROM big;", s), LargeBackfill.ID))
                .singleElement().matches(f -> f.message().contains("big"));
        assertThat(findings(LintTesting.lint("INSERT INTO archive SELECT id, status FROM small;", s), LargeBackfill.ID)).isEmpty();
        // EXPLAIN never executes the statement
        assertThat(db.queryLong("SELECT count(*) FROM big WHERE status = 'old'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM archive")).isZero();
    }

    @Test
    void neverAnalysedTablesFallBackToTheStatisticsCollector(TestDatabase db) {
        db.execute("CREATE TABLE fresh (id int)", "INSERT INTO fresh SELECT generate_series(1, 3000)");
        // PostgreSQL 14+: reltuples is -1 until the first VACUUM/ANALYZE; n_live_tup counts the inserts
        assertThat(db.queryLong("SELECT reltuples::bigint FROM pg_class WHERE relname = 'fresh'")).isEqualTo(-1);
        long liveTuples = 0;
        for (int attempt = 0; attempt < 50 && liveTuples == 0; attempt++) {
            liveTuples = db.queryLong("SELECT COALESCE((SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'fresh'), 0)");
            if (liveTuples == 0) {
                sleep();
            }
        }
        try (CatalogFacts facts = CatalogFacts.read(new DatabaseTarget(db.jdbcUrl(), db.user(), Secret.of(db.password())))) {
            assertThat(facts.estimatedRows("fresh")).hasValue(liveTuples);
            assertThat(facts.estimatedRows("public.fresh")).hasValue(liveTuples);
        }
    }

    @Test
    void columnTypesAndExistingTablesComeFromTheCatalog(TestDatabase db) {
        seed(db);
        LintSettings s = settings(db, 1000);
        assertThat(findings(LintTesting.lint("ALTER TABLE big ALTER COLUMN amount TYPE numeric(12,2);", s), ChangingColumnType.ID)).isEmpty();
        assertThat(findings(LintTesting.lint("ALTER TABLE big ALTER COLUMN id TYPE bigint;", s), ChangingColumnType.ID))
                .singleElement().matches(f -> f.message().contains("from integer to bigint"));
        // a table the database does not have, created by an earlier file of the run, is new: its index blocks nobody
        LintReport run = Linter.lintMigrations(java.util.List.of(
                MigrationLoader.parse(java.nio.file.Path.of("V5__create.sql"), "CREATE TABLE brand_new (id int);", null),
                MigrationLoader.parse(java.nio.file.Path.of("V6__index.sql"),
                        "CREATE INDEX bn ON brand_new (id); CREATE INDEX b ON big (status);", null)), s);
        assertThat(findings(run, RequireConcurrentIndexCreation.ID)).singleElement().matches(f -> f.message().contains("big"));
    }

    @Test
    void userFunctionVolatilityComesFromPgProc(TestDatabase db) {
        seed(db);
        db.execute("CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$",
                "CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$");
        LintSettings s = settings(db, 1000);
        LintReport volatileDefault = LintTesting.lint("ALTER TABLE big ADD COLUMN code text DEFAULT next_code();", s);
        assertThat(findings(volatileDefault, io.migrationrunbook.lint.rules.RewritingAddColumn.ID)).singleElement()
                .matches(f -> f.severity() == Severity.ERROR && f.message().contains("next_code"));
        assertThat(volatileDefault.classification().classes()).contains(ChangeClass.LOCKING);
        assertThat(findings(LintTesting.lint("ALTER TABLE big ADD COLUMN code text DEFAULT fixed_code();", s),
                io.migrationrunbook.lint.rules.RewritingAddColumn.ID)).isEmpty();
        // without the database the same default is only a warning
        assertThat(findings(LintTesting.lint("ALTER TABLE big ADD COLUMN code text DEFAULT next_code();"),
                io.migrationrunbook.lint.rules.RewritingAddColumn.ID)).singleElement()
                .matches(f -> f.severity() == Severity.WARNING);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
