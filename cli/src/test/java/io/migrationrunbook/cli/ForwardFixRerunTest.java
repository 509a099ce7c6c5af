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
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.KafkaCluster;
import io.migrationrunbook.kafka.OffsetsReader;
import io.migrationrunbook.kafka.PartitionOffsets;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forward-fix loop: `runbook run` fails on a broken migration after pausing the consumers (they stay paused), and
 * the rerun with the fixed migration takes that pause over — verified from Kafka, never resumed in between — then
 * migrates, resumes and passes the lag check against the first pause's baseline, with every event processed exactly
 * once. And the refusals: a run that does not pause, a pause of other consumers, consumers someone resumed by hand.
 * Real PostgreSQL, Kafka and the demo service under a steady load; `runbook run` in-process.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class ForwardFixRerunTest {

    private static final String BROKEN_V2 = """
            ALTER TABLE processed_events ADD COLUMN received_at timestamptz;
            INSERT INTO table_that_does_not_exist VALUES (1);
            """;
    private static final String FIXED_V2 = "ALTER TABLE processed_events ADD COLUMN received_at timestamptz;\n";

    /** The demo service under load, its consumers file and a plan that pauses (consumers.pause: always). */
    private record Setup(DemoService service, SteadyLoad load, String group, Path plan, Path stateDir, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            load.close();
            service.close();
        }
    }

    private static Setup start(TestDatabase db, KafkaBroker kafka, Path dir) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "persistence-" + suffix;
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), DemoDatabase.baselineSql());
        new Migrator(new DatabaseTarget(db.jdbcUrl(), db.user(), null), MigrationSettings.create()
                .locations("filesystem:" + migrations).target("1")).migrate(Progress.silent());
        DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("tx-" + suffix).groupId(group).retryBackoff(Duration.ofMillis(100)));
        SteadyLoad load = SteadyLoad.directToKafka(kafka.bootstrapServers(), "tx-" + suffix, 30).start();
        await(() -> service.stats().eventsProcessed() > 10 && everyPartitionCommitted(kafka, group),
                "the demo's consumers process events and commit on every partition");
        String control = service.baseUrl() + "/ops/control";
        Files.writeString(dir.resolve("consumers.yaml"), """
                kafka: {bootstrapServers: "%s", requestTimeout: 10s}
                verification: {quietWindow: 500ms, pollInterval: 100ms, pauseTimeout: 30s, resumeTimeout: 30s}
                lag: {samples: 3, interval: 500ms, deadline: 60s}
                controllers:
                  - name: persistence
                    type: http
                    groups: [%s]
                    pause:  {method: PUT, url: "%s", body: {mode: paused}}
                    resume: {method: PUT, url: "%s", body: {mode: normal}}
                    status: {url: "%s", pointer: /effective, paused: paused, running: normal}
                """.formatted(kafka.bootstrapServers(), group, control, control, control));
        Path stateDir = dir.resolve("consumers-state");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, plan(db, "consumers.yaml", "always", stateDir));
        return new Setup(service, load, group, plan, stateDir, dir);
    }

    private static String plan(TestDatabase db, String consumers, String pause, Path stateDir) {
        return """
                name: "forward fix"
                database: {url: "%s", user: %s}
                migrations: {locations: [filesystem:migrations], lockTimeout: 5s}
                backup: {directory: backups}
                consumers: {config: %s, pause: %s, stateDir: "%s"}
                verify: {assertions: ["SELECT event_id FROM processed_events WHERE event_id IS NULL"]}
                """.formatted(db.jdbcUrl(), db.user(), consumers, pause, stateDir);
    }

    @Test
    void aFailedRunLeavesTheConsumersPausedAndTheFixedRerunTakesThatPauseOverWithoutResumingInBetween(TestDatabase db,
            KafkaBroker kafka, @TempDir Path dir) throws Exception {
        try (Setup s = start(db, kafka, dir)) {
            Files.writeString(dir.resolve("migrations/V2__received_at.sql"), BROKEN_V2);

            CliRun first = run(s, "out-1");
            assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(1);
            JsonNode report1 = report(dir, "out-1");
            assertThat(step(report1, "flywayMigrate").get("status").asText()).isEqualTo("FAILED");
            assertThat(step(report1, "flywayMigrate").get("reason").asText()).contains("42P01");
            assertThat(report1.get("pause").get("stillPaused").asBoolean()).isTrue();
            assertThat(report1.get("nextActions").toString()).contains("STILL PAUSED").contains("fix forward and run the runbook again")
                    .contains("takes this pause over").contains("runbook resume --state-dir " + s.stateDir()).contains("runbook restore --from");
            PauseState paused = PauseState.load(s.stateDir());
            assertThat(paused.status()).isEqualTo(PauseState.PAUSED);
            assertThat(paused.pausedBy()).isEqualTo(report1.get("runId").asText());

            // between the runs: events keep arriving, the consumers process none, their committed offsets do not move
            long processed = s.service().stats().eventsProcessed();
            long produced = s.load().produced().count();
            await(() -> s.load().produced().count() >= produced + 30, "the load produces while the consumers are paused");
            assertThat(s.service().stats().eventsProcessed()).as("processed while paused").isEqualTo(processed);
            assertThat(committed(kafka, s.group())).isEqualTo(committed(paused.baseline().get(s.group())));

            // refused before any side effect: a run that would not pause, and a run for other consumers
            byte[] state = Files.readAllBytes(PauseState.file(s.stateDir()));
            Files.writeString(dir.resolve("plan-never.yaml"), plan(db, "consumers.yaml", "never", s.stateDir()));
            CliRun never = CliRun.of("run", "--plan", dir.resolve("plan-never.yaml").toString(), "--out", dir.resolve("out-never").toString(),
                    "--approve-as", "t");
            assertThat(never.exitCode()).as(never.out() + never.err()).isEqualTo(1);
            JsonNode neverReport = report(dir, "out-never");
            assertThat(step(neverReport, "migrationPrecheck").get("reason").asText()).contains(PauseState.file(s.stateDir()).toString())
                    .contains("is not resumed").contains("consumers.pause: never").contains("runbook resume --state-dir " + s.stateDir())
                    .contains("consumers.pause: always");
            assertThat(step(neverReport, "dbBackup").get("status").asText()).isEqualTo("SKIPPED");

            Files.writeString(dir.resolve("consumers-other.yaml"), Files.readString(dir.resolve("consumers.yaml"))
                    .replace("groups: [" + s.group() + "]", "groups: [" + s.group() + "-other]"));
            Files.writeString(dir.resolve("plan-other.yaml"), plan(db, "consumers-other.yaml", "always", s.stateDir()));
            CliRun other = CliRun.of("run", "--plan", dir.resolve("plan-other.yaml").toString(), "--out", dir.resolve("out-other").toString(),
                    "--approve-as", "t");
            assertThat(other.exitCode()).as(other.out() + other.err()).isEqualTo(1);
            JsonNode otherReport = report(dir, "out-other");
            assertThat(step(otherReport, "migrationPrecheck").get("reason").asText()).contains(PauseState.file(s.stateDir()).toString())
                    .contains("cannot be taken over").contains("other consumers").contains(s.group() + "-other")
                    .contains("runbook resume --state-dir " + s.stateDir()).contains("remove");
            assertThat(step(otherReport, "dbBackup").get("status").asText()).isEqualTo("SKIPPED");
            assertThat(Files.readAllBytes(PauseState.file(s.stateDir()))).as("the state is left as it was").isEqualTo(state);
            assertThat(backups(dir)).as("only the first run's backup").hasSize(1);
            assertThat(s.service().stats().eventsProcessed()).as("still paused after the refusals").isEqualTo(processed);

            // a first fix that is still broken: the rerun takes the pause over, fails again, and leaves it as it found it
            Files.writeString(dir.resolve("migrations/V2__received_at.sql"), FIXED_V2 + "SELECT 1 / 0;\n");
            CliRun stillBroken = run(s, "out-still-broken");
            assertThat(stillBroken.exitCode()).as(stillBroken.out() + stillBroken.err()).isEqualTo(1);
            JsonNode brokenAgain = report(dir, "out-still-broken");
            assertThat(step(brokenAgain, "pauseConsumers").get("details").get("outcome").asText()).isEqualTo("ADOPTED");
            assertThat(step(brokenAgain, "flywayMigrate").get("reason").asText()).contains("22012");
            assertThat(brokenAgain.get("pause").get("stillPaused").asBoolean()).isTrue();
            assertThat(brokenAgain.get("nextActions").toString()).contains("STILL PAUSED").contains("takes this pause over");
            assertThat(PauseState.load(s.stateDir()).status()).isEqualTo(PauseState.PAUSED);
            assertThat(s.service().stats().eventsProcessed()).as("still paused after the second failure").isEqualTo(processed);

            // the forward fix: the same version, corrected (the broken one rolled back, the history does not hold it)
            Files.writeString(dir.resolve("migrations/V2__received_at.sql"), FIXED_V2);
            CliRun second = run(s, "out-2");
            assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
            JsonNode report2 = report(dir, "out-2");
            assertThat(report2.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stepNames(report2)).containsSubsequence("migrationPrecheck", "pauseConsumers", "dbBackup", "flywayMigrate",
                    "verifySchema", "resumeConsumers", "checkConsumerLag");
            for (String name : List.of("migrationPrecheck", "pauseConsumers", "dbBackup", "flywayMigrate", "verifySchema",
                    "resumeConsumers", "checkConsumerLag")) {
                assertThat(step(report2, name).get("status").asText()).as(name).isEqualTo("PASSED");
            }
            JsonNode pause = step(report2, "pauseConsumers").get("details");
            assertThat(pause.get("outcome").asText()).isEqualTo("ADOPTED");
            assertThat(pause.get("adopted").get("stateFile").asText()).isEqualTo(PauseState.file(s.stateDir()).toString());
            assertThat(pause.get("adopted").get("pausedBy").asText()).isEqualTo(report1.get("runId").asText());
            assertThat(Instant.parse(pause.get("adopted").get("pausedAt").asText())).isEqualTo(paused.pauseRequestedAt());
            // the consumers consumed nothing from the first pause's baseline to the takeover's verification
            assertThat(pause.get("groups").get(0).get("partitions")).isNotEmpty();
            int committedPartitions = 0;
            for (JsonNode partition : pause.get("groups").get(0).get("partitions")) {
                assertThat(partition.get("committedAfter")).as(partition.toString()).isEqualTo(partition.get("committedBefore"));
                committedPartitions += partition.has("committedAfter") ? 1 : 0;
            }
            assertThat(committedPartitions).isPositive();
            assertThat(report2.get("facts").get("pauseAdopted").asText()).contains(report1.get("runId").asText())
                    .contains(PauseState.file(s.stateDir()).toString());
            // the pause window counts from the first run's pause
            assertThat(Instant.parse(report2.get("pause").get("requestedAt").asText())).isEqualTo(paused.pauseRequestedAt());
            assertThat(report2.get("pauseWindowMs").asLong())
                    .isGreaterThan(Duration.between(paused.pauseRequestedAt(), Instant.parse(report2.get("startedAt").asText())).toMillis());
            assertThat(report2.get("pause").get("stillPaused").asBoolean()).isFalse();
            // the lag check's target is the first pause's baseline, not a lag taken while paused
            JsonNode resume = step(report2, "resumeConsumers").get("details");
            assertThat(resume.get("baselineLag").get(s.group()).asLong()).isEqualTo(paused.baselineLag().get(s.group()));
            PauseState end = PauseState.load(s.stateDir());
            assertThat(end.status()).isEqualTo(PauseState.RESUMED);
            assertThat(end.events().stream().map(PauseState.Event::what).filter(w -> w.startsWith("resume requested")))
                    .as("resumed once, at the end of the rerun").hasSize(1);
            assertThat(end.events().stream().map(PauseState.Event::what))
                    .anyMatch(w -> w.contains("pause adopted by " + report2.get("runId").asText()));
            assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'processed_events' "
                    + "AND column_name = 'received_at'")).isEqualTo(1);

            assertExactlyOnce(db, s.load());
        }
    }

    @Test
    void consumersResumedByHandAreNotTakenOverAndTheRunStopsBeforeTheBackup(TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        try (Setup s = start(db, kafka, dir)) {
            Files.writeString(dir.resolve("migrations/V2__received_at.sql"), BROKEN_V2);
            CliRun first = run(s, "out-1");
            assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(1);
            assertThat(PauseState.load(s.stateDir()).status()).isEqualTo(PauseState.PAUSED);

            // someone resumes the consumers by hand, not through the runbook: the state still says PAUSED
            Map<String, Long> atPause = committed(PauseState.load(s.stateDir()).baseline().get(s.group()));
            s.service().resume();
            await(() -> !committed(kafka, s.group()).equals(atPause), "the consumers resumed by hand commit again");
            byte[] state = Files.readAllBytes(PauseState.file(s.stateDir()));

            Files.writeString(dir.resolve("migrations/V2__received_at.sql"), FIXED_V2);
            CliRun second = run(s, "out-2");
            assertThat(second.exitCode()).as(second.out() + second.err()).isEqualTo(1);
            JsonNode report2 = report(dir, "out-2");
            JsonNode pause = step(report2, "pauseConsumers");
            assertThat(pause.get("status").asText()).isEqualTo("FAILED");
            assertThat(pause.get("details").get("outcome").asText()).isEqualTo("NOT_ADOPTED");
            assertThat(pause.get("reason").asText()).contains(PauseState.file(s.stateDir()).toString())
                    .contains("moved since the pause's baseline").contains("runbook resume --state-dir " + s.stateDir()).contains("remove");
            assertThat(step(report2, "dbBackup").get("status").asText()).as("stopped before the backup").isEqualTo("SKIPPED");
            assertThat(step(report2, "flywayMigrate").get("status").asText()).isEqualTo("SKIPPED");
            assertThat(backups(dir)).as("only the first run's backup").hasSize(1);
            assertThat(report2.get("nextActions").toString()).contains("not paused by this run, nor taken over").doesNotContain("STILL PAUSED");
            assertThat(report2.get("pauseWindowMs").asLong()).isZero();
            assertThat(Files.readAllBytes(PauseState.file(s.stateDir()))).as("the state is left as it was").isEqualTo(state);
            assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'processed_events' "
                    + "AND column_name = 'received_at'")).isZero();

            // what the refusal says to do: resume through the runbook (idempotent here), then the rerun pauses afresh
            CliRun resume = CliRun.of("resume", "--state-dir", s.stateDir().toString());
            assertThat(resume.exitCode()).as(resume.out() + resume.err()).isZero();
            CliRun third = run(s, "out-3");
            assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
            assertThat(step(report(dir, "out-3"), "pauseConsumers").get("details").get("outcome").asText()).isEqualTo("PAUSED");

            assertExactlyOnce(db, s.load());
        }
    }

    private static CliRun run(Setup s, String out) {
        CliRun run = CliRun.of("run", "--plan", s.plan().toString(), "--out", s.dir().resolve(out).toString(), "--approve-as", "t");
        System.out.println("runbook run --out " + out + ": exit " + run.exitCode() + "\n" + run.out() + "\n" + run.err());
        return run;
    }

    private static void assertExactlyOnce(TestDatabase db, SteadyLoad load) throws Exception {
        SteadyLoad.Produced produced = load.stop();
        assertThat(produced.count()).isGreaterThan(30);
        try (Connection c = db.connect()) {
            DeliveryVerifier.DeliveryReport delivery = DeliveryVerifier.awaitAllProcessed(c, produced, Duration.ofSeconds(90));
            assertThat(delivery.exactlyOnce()).as(delivery.toString()).isTrue();
        }
    }

    private static Map<String, Long> committed(KafkaBroker kafka, String group) {
        KafkaCluster cluster = KafkaCluster.plaintext(kafka.bootstrapServers());
        try (Admin admin = cluster.openAdmin()) {
            return committed(new OffsetsReader(cluster, admin).read(group));
        }
    }

    /** Every partition with messages has a committed offset (the load's keys may leave a partition empty). */
    private static boolean everyPartitionCommitted(KafkaBroker kafka, String group) {
        KafkaCluster cluster = KafkaCluster.plaintext(kafka.bootstrapServers());
        try (Admin admin = cluster.openAdmin()) {
            List<PartitionOffsets> partitions = new OffsetsReader(cluster, admin).read(group).partitions();
            return !partitions.isEmpty() && partitions.stream().allMatch(p -> p.logEnd() == 0 || p.committed() != null);
        } catch (RuntimeException groupNotThereYet) {
            return false;
        }
    }

    private static Map<String, Long> committed(GroupSnapshot snapshot) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (PartitionOffsets p : snapshot.partitions()) {
            offsets.put(p.key(), p.committed());
        }
        return offsets;
    }

    private static List<Path> backups(Path dir) throws Exception {
        Path backups = dir.resolve("backups");
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(backups)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".dump")).toList();
        }
    }

    private static JsonNode report(Path dir, String out) throws Exception {
        return Json.mapper().readTree(Files.readString(dir.resolve(out).resolve("report.json")));
    }

    private static List<String> stepNames(JsonNode report) {
        List<String> names = new java.util.ArrayList<>();
        report.get("steps").forEach(step -> names.add(step.get("name").asText()));
        return names;
    }

    private static JsonNode step(JsonNode report, String name) {
        for (JsonNode step : report.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + report.get("steps"));
    }

    /** Polls until the condition holds; a generous deadline for a loaded machine. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
