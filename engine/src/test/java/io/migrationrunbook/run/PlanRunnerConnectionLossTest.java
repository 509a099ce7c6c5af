package io.migrationrunbook.run;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.report.StepRecord;
import io.migrationrunbook.report.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `runbook run` whose database session is ended (pg_terminate_backend, 57P01) while verifySchema runs an integrity query,
 * after the migration was applied: the step FAILED with the shared lost-connection message, and the next actions say the
 * migrations are not at fault — check the history, run again — instead of asking for a forward fix.
 */
@ExtendWith(PostgresExtension.class)
class PlanRunnerConnectionLossTest {

    @Test
    void aConnectionLostDuringVerifySchemaAdvisesARerunNotAForwardFix(TestDatabase db, @TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/V1__create_events.sql"), "CREATE TABLE events (id bigint PRIMARY KEY);");
        Files.writeString(dir.resolve("plan.yaml"), """
                name: connection lost during verify
                database: {url: "%s", user: %s}
                migrations: {locations: [filesystem:migrations]}
                backup: {enabled: false}
                verify:
                  assertions: ["SELECT 1 FROM (SELECT pg_sleep(120)::text AS slept) s WHERE slept = 'never'"]
                """.formatted(db.jdbcUrl(), db.user()));
        PlanRunner runner = PlanRunner.builder(PlanLoader.load(dir.resolve("plan.yaml")), dir, dir.resolve("out")).build();
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(runner::run);

        awaitSleepingAssertion(db, run);
        try (Connection c = db.server().connect("postgres"); PreparedStatement p = c.prepareStatement("SELECT count(*) FILTER "
                + "(WHERE pg_terminate_backend(pid, 30000)) FROM pg_stat_activity WHERE datname = ? AND query LIKE '%pg_sleep(120)%' "
                + "AND pid <> pg_backend_pid()")) {
            p.setString(1, db.name());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
        RunReport report = run.get(60, TimeUnit.SECONDS);

        assertThat(report.getStatus()).isEqualTo(RunReport.FAILED);
        StepRecord verify = report.step("verifySchema");
        assertThat(verify.status()).isEqualTo(StepStatus.FAILED);
        assertThat(verify.reason()).startsWith("Lost the connection to the database " + db.user() + "@localhost:" + db.server().port()
                + "/" + db.name() + " while verifying the schema (SQLSTATE 57P01");
        assertThat(report.getNextActions()).anySatisfy(a -> assertThat(a)
                .startsWith("The database connection was lost outside a migration (SQLSTATE 57P01")
                .contains("nothing is wrong with the migrations").contains("runbook migrate --dry-run --db-url " + db.jdbcUrl()));
        assertThat(report.getNextActions()).noneSatisfy(a -> assertThat(a).contains("Forward-only"));
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")).isEqualTo(1);
    }

    private static void awaitSleepingAssertion(TestDatabase db, CompletableFuture<RunReport> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Connection c = db.server().connect("postgres"); PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = ? AND state = 'active' AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()")) {
            p.setString(1, db.name());
            while (System.nanoTime() < deadline) {
                if (run.isDone()) {
                    throw new AssertionError("the run ended before verifySchema's query could be ended: " + run.get().getNextActions());
                }
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("verifySchema never ran its integrity query within 90 s");
    }
}
