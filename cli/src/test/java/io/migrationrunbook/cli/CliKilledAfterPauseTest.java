package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.PauseState;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoDatabase;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.demo.SteadyLoad;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault: the CLI is killed (SIGKILL: no shutdown hook, no finally) while the consumers are paused. `runbook run` runs as a
 * real child process against the demo service under a steady load; once the pause state says PAUSED and the migration
 * is running, the process is killed. The state on disk is all an operator has: `runbook resume --state-dir` resumes
 * the consumers and every event produced during the whole episode is processed exactly once.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class CliKilledAfterPauseTest {

    @Test
    void aRunKilledWhileConsumersArePausedIsResumedFromItsStateAndNothingIsLost(TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), DemoDatabase.baselineSql());
        // long enough to be killed in the middle of it
        Files.writeString(migrations.resolve("V2__slow_change.sql"), "CREATE TABLE audit_notes (id bigint PRIMARY KEY, note text);\nSELECT pg_sleep(20);");
        DatabaseTarget target = new DatabaseTarget(db.jdbcUrl(), db.user(), null);
        assertThat(new Migrator(target, MigrationSettings.create().locations("filesystem:" + migrations).target("1"))
                .migrate(Progress.silent()).succeeded()).isTrue();
        Path stateDir = dir.resolve("consumers-state");
        try (DemoService service = DemoService.start(new DemoConfig().httpPort(0).database(db.jdbcUrl(), db.user(), null)
                .kafka(kafka.bootstrapServers()).topic("killed-cli").groupId("killed-cli-group").retryBackoff(Duration.ofMillis(100)))) {
            Files.writeString(dir.resolve("consumers.yaml"), """
                    kafka: {bootstrapServers: %s, requestTimeout: 10s}
                    verification: {quietWindow: 500ms, pollInterval: 100ms, pauseTimeout: 20s, resumeTimeout: 20s}
                    controllers:
                      - name: ingestion
                        type: http
                        groups: [killed-cli-group]
                        pause:  {method: PUT, url: "%s/ops/control", body: {mode: paused}}
                        resume: {method: PUT, url: "%s/ops/control", body: {mode: normal}}
                        status: {url: "%s/ops/control", pointer: /effective, paused: paused, running: normal}
                    """.formatted(kafka.bootstrapServers(), service.baseUrl(), service.baseUrl(), service.baseUrl()));
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, """
                    name: "killed mid-run"
                    database: {url: "%s", user: %s}
                    migrations: {locations: [filesystem:migrations]}
                    backup: {enabled: false}
                    consumers: {config: consumers.yaml, pause: always, stateDir: %s}
                    verify: {assertions: ["SELECT transaction_id FROM transactions WHERE transaction_id IS NULL"]}
                    """.formatted(db.jdbcUrl(), db.user(), stateDir));

            SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 30);
            load.sendNow(20);
            load.start();
            Process cli = CliProcess.start(dir, "run", "--plan", plan.toString(), "--out", dir.resolve("out").toString(), "--approve-as", "t");
            try {
                awaitPausedAndMigrating(cli, stateDir, db);
                assertThat(cli.isAlive()).isTrue();
                cli.destroyForcibly(); // SIGKILL
                assertThat(cli.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(cli.exitValue()).isEqualTo(137);
            } finally {
                cli.destroyForcibly();
            }
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.PAUSED);
            Thread.sleep(500); // events keep arriving while nobody is in charge: they queue in Kafka

            CliRun resume = CliRun.of("resume", "--state-dir", stateDir.toString());

            assertThat(resume.exitCode()).as(resume.err() + resume.out()).isZero();
            assertThat(PauseState.load(stateDir).status()).isEqualTo(PauseState.RESUMED);
            SteadyLoad.Produced produced = load.stop();
            try (Connection connection = db.connect()) {
                DeliveryVerifier.DeliveryReport delivery = DeliveryVerifier.awaitAllProcessed(connection, produced, Duration.ofSeconds(60));
                assertThat(delivery.exactlyOnce()).as(delivery.toString()).isTrue();
            }
        }
    }

    private static void awaitPausedAndMigrating(Process cli, Path stateDir, TestDatabase db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!cli.isAlive()) {
                Path dir = stateDir.getParent();
                throw new AssertionError("the CLI ended before it could be killed: exit " + cli.exitValue() + "\n"
                        + CliProcess.stdout(dir) + CliProcess.stderr(dir));
            }
            PauseState state = Files.exists(PauseState.file(stateDir)) ? PauseState.load(stateDir) : null;
            if (state != null && PauseState.PAUSED.equals(state.status()) && db.queryLong(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()") > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run did not reach PAUSED + migrating within 60 s");
    }
}
