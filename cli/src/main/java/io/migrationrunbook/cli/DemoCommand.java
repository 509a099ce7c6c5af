package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.ResumeConsumers;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoDatabase;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.SteadyLoad;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.report.Approval;
import io.migrationrunbook.report.ReportFiles;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.run.PlanLoader;
import io.migrationrunbook.run.RunPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runbook demo}: the whole runbook end to end on an embedded PostgreSQL, an in-process Kafka broker and the demo
 * ingestion service, under a steady event load, through {@code runbook run} with a bundled plan and sample migrations.
 */
@Command(name = "demo", description = "Run the whole runbook on an embedded PostgreSQL, Kafka broker and demo service.")
public class DemoCommand extends EngineCommand {

    static final String RESOURCES = "/io/migrationrunbook/cli/demo/";
    static final List<String> FILES = List.of("plan.yaml", "consumers.yaml", "expectations.yaml", "smoke.yaml",
            "migrations/V2__add_nullable_source_system_to_transactions.sql",
            "migrations/V3__index_processed_events_by_correlation_id.sql",
            "migrations/V4__create_portfolio_snapshots_table.sql",
            "migrations/V5__record_when_each_event_was_received.sql");

    @Option(names = "--out", defaultValue = "runbook-demo", paramLabel = "DIR",
            description = "Where report.json, report.html, the backup and the demo's files go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--fail-at", paramLabel = "STEP", description = "Show the failure path: 'migrate' ships a broken migration.")
    String failAt;

    @Option(names = "--rate", defaultValue = "25", description = "Events per second of the steady load (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--group-protocol", defaultValue = "classic", description = "Consumer group protocol: classic or consumer.")
    String groupProtocol;

    @Override
    protected Path reportDirectory() {
        return out;
    }

    @Override
    protected Outcome run(Progress progress) throws Exception {
        if (failAt != null && !failAt.equals("migrate")) {
            throw RunbookException.configuration("--fail-at supports 'migrate' (a broken migration), got '" + failAt + "'.");
        }
        Path outDir = out.toAbsolutePath();
        prepareOutput(outDir);
        Instant started = Instant.now();
        progress.report("== Migration Runbook demo: embedded PostgreSQL, in-process Kafka, demo ingestion service ==");
        try (PostgresServer postgres = PostgresServer.startEmbedded();
             KafkaBroker kafka = KafkaBroker.start()) {
            String database = postgres.createDatabase("portfolio");
            DatabaseTarget target = new DatabaseTarget(postgres.jdbcUrl(database), postgres.user(), null);
            progress.report("PostgreSQL 15 at %s:%d (database %s), Kafka at %s — up in %s", postgres.host(), postgres.port(), database,
                    kafka.bootstrapServers(), Progress.format(Duration.between(started, Instant.now())));

            Path files = outDir.resolve("demo-files");
            writeDemoFiles(files, failAt != null);
            MigrationResult baseline = new Migrator(target, MigrationSettings.create()
                    .locations("filesystem:" + files.resolve("migrations")).target("1")).migrate(Progress.silent());
            if (!baseline.succeeded()) {
                throw RunbookException.environment("The demo could not create its baseline schema: " + baseline.failure().message());
            }

            try (DemoService service = DemoService.start(new DemoConfig().httpPort(0)
                    .database(target.jdbcUrl(), target.user(), null)
                    .kafka(kafka.bootstrapServers())
                    .groupProtocol(groupProtocol))) {
                progress.report("Demo service at %s (consumer group %s, %s protocol)", service.baseUrl(), service.config().groupId(),
                        groupProtocol);
                fillPlaceholders(files, Map.of("DB_URL", target.jdbcUrl(), "DB_USER", target.user(), "KAFKA", kafka.bootstrapServers(),
                        "BASE_URL", service.baseUrl(), "OUT", outDir.toString()));

                SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), rate);
                load.sendNow(100);
                progress.report("Loaded 100 sample transactions; now a steady load of %.0f events/s runs throughout.", rate);
                load.start();

                RunPlan plan = PlanLoader.load(files.resolve("plan.yaml"));
                RunReport report = PlanRunners.forCli(plan, files, outDir,
                                (gate, summary) -> {
                                    progress.report("Gate '%s': the demo approves as 'demo-approver':%n%s", gate, summary);
                                    return new Approval(gate, "demo-approver", Instant.now(), "approved (demo)");
                                }, progress)
                        .build().run();

                SteadyLoad.Produced produced = load.stop();
                boolean stillPaused = report.getPause() != null && report.getPause().stillPaused();
                if (stillPaused) {
                    progress.report("%n== The run left the consumers paused, as it must. The demo now plays the operator and follows the"
                            + " report's next action: runbook resume --state-dir %s ==", outDir.resolve("consumers"));
                    ResumeConsumers.from(outDir.resolve("consumers")).progress(progress).execute();
                }
                DeliveryVerifier.DeliveryReport delivery;
                try (Connection connection = postgres.connect(database)) {
                    delivery = DeliveryVerifier.awaitAllProcessed(connection, produced, Duration.ofSeconds(60))
                            .withDuplicateDeliveriesSkipped(service.stats().duplicatesSkipped());
                }
                Map<String, Object> events = new LinkedHashMap<>();
                events.put("produced", delivery.produced());
                events.put("processed", delivery.processed());
                events.put("duplicates", delivery.duplicates());
                events.put("lost", delivery.lost());
                events.put("duplicateDeliveriesSkipped", delivery.duplicateDeliveriesSkipped());
                events.put("failedSends", delivery.failedSends());
                events.put("ratePerSecond", rate);
                if (stillPaused) {
                    events.put("note", "processed after the operator resumed the consumers from the persisted pause state");
                }
                report.setEvents(events);
                if (!delivery.exactlyOnce()) {
                    report.fail("events were not all processed exactly once: " + delivery);
                    report.finish(Instant.now());
                }
                ReportFiles.write(report, outDir);
                progress.report("Events: %s", delivery);
                progress.report("Report: %s", outDir.resolve(ReportFiles.HTML_FILE));
                return RunCommand.outcome(report, outDir);
            }
        }
    }

    private static void prepareOutput(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        for (String stale : List.of(ReportFiles.JSON_FILE, ReportFiles.HTML_FILE)) {
            Files.deleteIfExists(outDir.resolve(stale));
        }
        Path state = outDir.resolve("consumers").resolve("consumers-state.json");
        Files.deleteIfExists(state);
    }

    static void writeDemoFiles(Path files, boolean broken) throws IOException {
        Files.createDirectories(files.resolve("migrations"));
        try (var old = Files.list(files.resolve("migrations"))) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(files.resolve("migrations").resolve(DemoDatabase.BASELINE_RESOURCE.substring(DemoDatabase.BASELINE_RESOURCE.lastIndexOf('/') + 1)),
                DemoDatabase.baselineSql());
        for (String name : FILES) {
            String resource = broken && name.startsWith("migrations/V5__") ? "broken/" + name.substring("migrations/".length()) : name;
            try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCES + resource)) {
                if (in == null) {
                    continue;
                }
                Files.write(files.resolve(name), in.readAllBytes());
            }
        }
    }

    private static void fillPlaceholders(Path files, Map<String, String> values) {
        for (String name : List.of("plan.yaml", "consumers.yaml", "smoke.yaml")) {
            Path file = files.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                String text = Files.readString(file);
                for (Map.Entry<String, String> v : values.entrySet()) {
                    text = text.replace("${" + v.getKey() + "}", v.getValue());
                }
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
