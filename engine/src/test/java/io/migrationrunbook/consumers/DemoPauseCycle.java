package io.migrationrunbook.consumers;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.demo.SteadyLoad;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.kafka.KafkaCluster;
import io.migrationrunbook.kafka.OffsetsReader;
import io.migrationrunbook.lag.CheckConsumerLag;
import io.migrationrunbook.lag.LagCheckResult;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The runbook's consumers half against the demo service under steady load: pause (verified), a schema change,
 * resume (verified), lag check, then counts of produced / processed / duplicates / lost. Shared by the property test
 * and the pause-window benchmark.
 */
final class DemoPauseCycle {

    record Figures(String protocol, Duration pauseVerified, Duration migration, Duration pauseWindow, PauseResult pause,
                   ResumeResult resume, LagCheckResult lag) {
        Duration windowMinusMigration() {
            return pauseWindow.minus(migration);
        }
    }

    private final DemoService service;
    private final SteadyLoad load;
    private final KafkaBroker kafka;
    private final TestDatabase db;
    private final String group;
    private final Path dir;
    private final DemoConfig.GroupProtocol protocol;

    DemoPauseCycle(TestDatabase db, KafkaBroker kafka, DemoConfig.GroupProtocol protocol, Path dir, double eventsPerSecond) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.db = db;
        this.kafka = kafka;
        this.dir = dir;
        this.protocol = protocol;
        this.group = "persistence-service-" + suffix;
        this.service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("transactions-" + suffix).groupId(group).groupProtocol(protocol)
                .retryBackoff(Duration.ofMillis(100)));
        this.load = SteadyLoad.directToKafka(kafka.bootstrapServers(), "transactions-" + suffix, eventsPerSecond).start();
    }

    ConsumersConfig config(String quietWindow) throws Exception {
        String control = service.baseUrl() + "/ops/control";
        Path file = dir.resolve("consumers-" + group + ".yaml");
        Files.writeString(file, """
                kafka: {bootstrapServers: %s, requestTimeout: 10s}
                verification: {quietWindow: %s, pollInterval: 50ms, pauseTimeout: 30s, resumeTimeout: 30s}
                controllers:
                  - name: persistence
                    type: http
                    groups: [%s]
                    pause:  {url: %s, body: {mode: paused}}
                    resume: {url: %s, body: {mode: normal}}
                    status: {url: %s, pointer: /effective, paused: paused, running: normal}
                """.formatted(kafka.bootstrapServers(), quietWindow, group, control, control, control));
        return ConsumersConfig.read(file);
    }

    /** Waits until the group has joined and caught up with the load (lag under one second of events). */
    void awaitSteadyState(long maxLag) throws InterruptedException {
        KafkaCluster cluster = KafkaCluster.plaintext(kafka.bootstrapServers());
        long deadline = System.currentTimeMillis() + 60_000;
        try (Admin admin = cluster.openAdmin()) {
            OffsetsReader reader = new OffsetsReader(cluster, admin);
            while (true) {
                try {
                    var snapshot = reader.read(group);
                    if (snapshot.isStableWithMembers() && !snapshot.partitions().isEmpty() && snapshot.totalLag() <= maxLag) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // the group appears with its first join
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the demo's group did not reach a steady state within 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /** One pause → ALTER TABLE → resume → lag check cycle. */
    Figures cycle(String quietWindow, Path stateDir) throws Exception {
        ConsumersConfig config = config(quietWindow);
        PauseResult pause = PauseConsumers.with(config).stateDir(stateDir).execute();
        if (!pause.passed()) {
            throw new AssertionError("pause not verified: " + pause.reason());
        }
        long start = System.nanoTime();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE transactions ADD COLUMN IF NOT EXISTS note_" + stateDir.getFileName().toString().replaceAll("\\W", "_") + " text");
        }
        Duration migration = Duration.ofNanos(System.nanoTime() - start);
        ResumeResult resume = ResumeConsumers.from(stateDir).execute();
        if (!resume.passed()) {
            throw new AssertionError("resume not verified: " + resume.reason() + "\n" + Json.writePretty(resume));
        }
        LagCheckResult lag = CheckConsumerLag.on(config.kafka()).group(group, PauseState.load(stateDir).baselineLag().get(group))
                .samples(3).interval(Duration.ofMillis(300)).deadline(Duration.ofSeconds(60)).execute();
        return new Figures(protocol.configValue(), pause.elapsed(), migration, resume.pauseWindow(), pause, resume, lag);
    }

    DeliveryVerifier.DeliveryReport stopAndCount() throws Exception {
        SteadyLoad.Produced produced = load.stop();
        try (Connection connection = db.connect()) {
            return DeliveryVerifier.awaitAllProcessed(connection, produced, Duration.ofSeconds(60));
        }
    }

    void close() {
        load.close();
        service.close();
    }
}
