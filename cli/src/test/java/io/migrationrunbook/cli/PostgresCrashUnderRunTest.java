package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.consumers.PauseState;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoDatabase;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.demo.SteadyLoad;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault: PostgreSQL stopped hard (postmaster and every backend SIGKILLed) while `runbook run` applies a migration with the
 * consumers paused, the demo service writing to the same server under a steady load. The run fails clearly (exit 1, the
 * lost connection named, no stack trace), the report says what happened and what to do, and the consumers stay paused.
 * After a restart on the same data directory and port the schema history holds no half-applied migration, `runbook
 * resume` resumes, a rerun completes, and every event produced during the whole episode is processed exactly once.
 *
 * <p>A private embedded server (the shared one must survive), with {@code synchronous_commit} back on for its database:
 * the test servers turn it off for speed, and under it a commit acknowledged just before a crash may be lost — the demo
 * service commits its Kafka offsets after its database commit, so that would be a test artifact, not a product loss.
 */
@ExtendWith(KafkaExtension.class)
class PostgresCrashUnderRunTest {

    @Test
    void aServerKilledMidMigrationFailsTheRunClearlyAndAfterTheRestartNothingIsHalfAppliedOrLost(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("pgdata");
        PostgresServer server = PostgresServer.startEmbedded(data, 0);
        int port = server.port();
        String database = server.createDatabase("crash_run");
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " SET synchronous_commit = on");
        }
        String url = server.jdbcUrl(database);
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), DemoDatabase.baselineSql());
        // V2 changes the schema, then sleeps long enough to be killed in the middle of it (not once the test marked the
        // server recovered: the rerun applies it at once)
        Files.writeString(migrations.resolve("V2__add_settled_at.sql"), """
                ALTER TABLE transactions ADD COLUMN settled_at timestamptz;
                SELECT pg_sleep(CASE WHEN EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'crash_recovered') THEN 0 ELSE 300 END);
                """);
        assertThat(new Migrator(new DatabaseTarget(url, server.user(), null),
                MigrationSettings.create().locations("filesystem:" + migrations).target("1")).migrate(Progress.silent()).succeeded()).isTrue();

        Path stateDir = dir.resolve("consumers-state");
        PostgresServer restarted = null;
        try (DemoService service = DemoService.start(new DemoConfig().httpPort(0).database(url, server.user(), null)
                .kafka(kafka.bootstrapServers()).topic("pg-crash").groupId("pg-crash-group").retryBackoff(Duration.ofMillis(200)))) {
            Files.writeString(dir.resolve("consumers.yaml"), """
                    kafka: {bootstrapServers: %s, requestTimeout: 10s}
                    verification: {quietWindow: 500ms, pollInterval: 100ms, pauseTimeout: 30s, resumeTimeout: 30s}
                    controllers:
                      - name: ingestion
                        type: http
                        groups: [pg-crash-group]
                        pause:  {method: PUT, url: "%s/ops/control", body: {mode: paused}}
                        resume: {method: PUT, url: "%s/ops/control", body: {mode: normal}}
                        status: {url: "%s/ops/control", pointer: /effective, paused: paused, running: normal}
                    """.formatted(kafka.bootstrapServers(), service.baseUrl(), service.baseUrl(), service.baseUrl()));
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, """
                    name: "postgres crash"
                    database: {url: "%s", user: %s}
                    migrations: {locations: [filesystem:migrations]}
                    backup: {directory: backups}
                    consumers: {config: consumers.yaml, pause: always, stateDir: %s}
                    verify: {assertions: ["SELECT transaction_id FROM transactions WHERE transaction_id IS NULL"]}
                    """.formatted(url, server.user(), stateDir));

            SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 30);
            load.sendNow(20);
            load.start();
            // a real child process: its stderr is what an operator sees, with the CLI's own logging configuration
            Process first = CliProcess.start(dir, "run", "--plan", plan.toString(), "--out", dir.resolve("out").toString(), "--approve-as", "t");
            try {
                awaitPausedAndMigrating(first, dir, stateDir, server, database);
                server.kill();
                assertThat(first.waitFor(120, TimeUnit.SECONDS)).as("the run ends after the crash").isTrue();
            } finally {
                first.destroyForcibly();
            }
            String out = CliProcess.stdout(dir);
            String err = CliProcess.stderr(dir);
            System.out.println("runbook run after the crash, stdout:\n" + out + "\nstderr:\n" + err);
            assertThat(first.exitValue()).as(out + err).isEqualTo(1);
            // a clear failure: the lost connection, the migration it interrupted and where the server is; no stack trace
            assertThat(out).contains("flywayMigrate").contains("Lost the connection to the database").contains("localhost:" + port)
                    .contains("V2").contains("nothing of it was applied").contains("NEXT: ");
            assertThat(out + err).as("no stack trace").doesNotContain("\tat ");
            assertThat(out.lines().filter(line -> line.strip().startsWith("flywayMigrate ")).toList()).singleElement().asString()
                    .as("no exception class for a message").doesNotContain("Exception");
            JsonNode report = Json.mapper().readTree(Files.readString(dir.resolve("out/report.json")));
            assertThat(report.get("status").asText()).isEqualTo("FAILED");
            JsonNode migrate = step(report, "flywayMigrate");
            assertThat(migrate.get("status").asText()).as(migrate.toString()).isEqualTo("FAILED");
            assertThat(migrate.get("reason").asText()).as(migrate.toString()).contains("Lost the connection to the database")
                    .doesNotContain("Exception")
                    .contains("localhost:" + port).contains("V2").contains("rolled it back");
            assertThat(migrate.get("details").get("failure").get("kind").asText()).isEqualTo("CONNECTION_LOST");
            assertThat(step(report, "verifySchema").get("status").asText()).isEqualTo("SKIPPED");
            assertThat(step(report, "resumeConsumers").get("status").asText()).isEqualTo("SKIPPED");
            assertThat(report.get("pause").get("stillPaused").asBoolean()).isTrue();
            String nextActions = report.get("nextActions").toString();
            assertThat(nextActions).contains("STILL PAUSED").contains("runbook resume --state-dir " + stateDir)
                    .contains("runbook restore --from").contains("connection was lost during V2").contains("runbook migrate --dry-run")
                    .contains("run the runbook again (it takes the pause over").doesNotContain("Forward-only");
            assertThat(PauseState.load(stateDir).status()).as("consumers stay paused per the failure policy").isEqualTo(PauseState.PAUSED);

            restarted = PostgresServer.startEmbedded(data, port);
            try (Connection c = restarted.connect(database); Statement s = c.createStatement()) {
                assertThat(versions(s)).as("no half-applied migration").containsExactly("1:true");
                assertThat(count(s, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'transactions' "
                        + "AND column_name = 'settled_at'")).as("V2's DDL rolled back with its transaction").isZero();
                s.execute("CREATE TABLE crash_recovered ()");
            }

            CliRun resume = CliRun.of("resume", "--state-dir", stateDir.toString());
            assertThat(resume.exitCode()).as(resume.err() + resume.out()).isZero();
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.RESUMED);

            CliRun rerun = CliRun.of("run", "--plan", plan.toString(), "--out", dir.resolve("out-rerun").toString(), "--approve-as", "t");
            assertThat(rerun.exitCode()).as(rerun.err() + rerun.out()).isZero();
            try (Connection c = restarted.connect(database); Statement s = c.createStatement()) {
                assertThat(versions(s)).containsExactly("1:true", "2:true");
            }

            SteadyLoad.Produced produced = load.stop();
            assertThat(produced.count()).isGreaterThan(20);
            try (Connection c = restarted.connect(database)) {
                DeliveryVerifier.DeliveryReport delivery = DeliveryVerifier.awaitAllProcessed(c, produced, Duration.ofSeconds(90));
                assertThat(delivery.exactlyOnce()).as(delivery.toString()).isTrue();
            }
        } finally {
            if (restarted != null) {
                restarted.close();
            } else {
                server.close();
            }
        }
    }

    /** Until the pause state says PAUSED and V2 sleeps in the database (seen from another connection). */
    private static void awaitPausedAndMigrating(Process cli, Path dir, Path stateDir, PostgresServer server, String database)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                if (!cli.isAlive()) {
                    throw new AssertionError("the run ended before the server could be killed: exit " + cli.exitValue() + "\n"
                            + CliProcess.stdout(dir) + CliProcess.stderr(dir));
                }
                boolean paused = Files.exists(PauseState.file(stateDir)) && PauseState.PAUSED.equals(PauseState.load(stateDir).status());
                if (paused && count(s, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()") > 0) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the run did not reach PAUSED + migrating within 120 s");
    }

    private static JsonNode step(JsonNode report, String name) {
        for (JsonNode step : report.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + report.get("steps"));
    }

    private static List<String> versions(Statement s) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getBoolean(2));
            }
        }
        return rows;
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
