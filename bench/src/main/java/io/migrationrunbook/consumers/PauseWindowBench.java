package io.migrationrunbook.consumers;

import io.migrationrunbook.bench.Bench;
import io.migrationrunbook.bench.Options;
import io.migrationrunbook.bench.Stats;
import io.migrationrunbook.bench.Table;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.embedded.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pause window on the demo workload (demo service consuming Kafka at {@code --rate} events/s, default 50): from pause
 * requested to resume verified, split into pause verification ({@link PauseConsumers}), the migration (an ALTER TABLE
 * on the table the consumers write) and resume verification ({@link ResumeConsumers}), over {@code --cycles} cycles per
 * group protocol. Ends with the delivery count: every event processed exactly once. Lives in the consumers package to
 * share {@code DemoPauseCycle} with the engine's nothing-lost property test.
 */
public final class PauseWindowBench {

    private PauseWindowBench() {
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) throws Exception {
        int cycles = options.integer("cycles", 3, 2);
        int rate = options.integer("rate", 50, 50);
        String quiet = options.text("quiet-window", "500ms", "500ms");
        PostgresServer server = environment.postgres();
        Table table = new Table("group protocol", "cycle", "pause verified", "migration", "resume verified",
                "pause window (requested → resume verified)", "window − migration");
        Map<String, Object> json = new LinkedHashMap<>();
        for (DemoConfig.GroupProtocol protocol : DemoConfig.GroupProtocol.values()) {
            TestDatabase db = new TestDatabase(server, server.createDatabase("bench_pause"));
            Path dir = Files.createTempDirectory("bench-pause");
            DemoPauseCycle demo = new DemoPauseCycle(db, environment.kafka(), protocol, dir, rate);
            List<Long> windows = new ArrayList<>();
            List<Long> overhead = new ArrayList<>();
            List<Long> pauses = new ArrayList<>();
            List<Long> migrations = new ArrayList<>();
            List<Long> resumes = new ArrayList<>();
            try {
                demo.awaitSteadyState(rate);
                for (int i = 1; i <= cycles; i++) {
                    DemoPauseCycle.Figures f = demo.cycle(quiet, dir.resolve("run-" + i));
                    if (!f.lag().passed()) {
                        throw new IllegalStateException("lag did not drain after resume: " + f.lag().reason());
                    }
                    table.row(protocol.configValue(), i, Progress.format(f.pauseVerified()), Progress.format(f.migration()),
                            Progress.format(f.resume().elapsed()), Progress.format(f.pauseWindow()), Progress.format(f.windowMinusMigration()));
                    windows.add(f.pauseWindow().toMillis());
                    overhead.add(f.windowMinusMigration().toMillis());
                    pauses.add(f.pauseVerified().toMillis());
                    migrations.add(f.migration().toMillis());
                    resumes.add(f.resume().elapsed().toMillis());
                    demo.awaitSteadyState(rate);
                }
                DeliveryVerifier.DeliveryReport delivery = demo.stopAndCount();
                table.note("%s: %s", protocol.configValue(), delivery);
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("cycles", cycles);
                figures.put("medianPauseVerifiedMs", Stats.median(pauses));
                figures.put("medianMigrationMs", Stats.median(migrations));
                figures.put("medianResumeVerifiedMs", Stats.median(resumes));
                figures.put("medianWindowMs", Stats.median(windows));
                figures.put("maxWindowMinusMigrationMs", Stats.max(overhead));
                figures.put("exactlyOnce", delivery.exactlyOnce());
                json.put(protocol.configValue(), figures);
            } finally {
                demo.close();
                server.dropDatabase(db.name());
            }
        }
        table.note("demo service at %d events/s, quiet window %s; target: window − migration under 2 s", rate, quiet);
        table.print();
        return json;
    }

}
