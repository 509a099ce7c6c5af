package io.migrationrunbook.bench;

import io.migrationrunbook.consumers.PauseWindowBench;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.PostgresServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness behind {@code bench/run [--option=value...] [NAME...]}: runs the named benchmarks (all when none
 * is named) one after the other, prints a table per benchmark with the machine it ran on, and as the last line one JSON
 * object with a key per benchmark. Every comparison inside a benchmark is measured in the same run, side by side.
 */
public final class Bench {

    /** A benchmark: measures, prints its table, returns its figures for the JSON line. */
    public interface Benchmark {
        Map<String, Object> run(Options options, Environment environment) throws Exception;
    }

    /** Name, what it measures, code. In the order of the issue. */
    record Entry(String name, String description, Benchmark benchmark) {
    }

    static final List<Entry> ALL = List.of(
            new Entry("writer-stall", "writers' stall under lock contention: plain Flyway vs runbook migrate", WriterStallBench::run),
            new Entry("pause-window", "pause requested to resume verified on the demo workload", PauseWindowBench::run),
            new Entry("backup", "runbook backup vs bare pg_dump -Fc; directory format 2 jobs vs 1", BackupBench::run),
            new Entry("snapshot", "schema snapshot + verify at 200 / 2,000 / 20,000 tables", SchemaSnapshotBench::run),
            new Entry("lint", "lint throughput on a 5,000-statement corpus", io.migrationrunbook.lint.LintThroughputBench::run),
            new Entry("lag", "lag evaluation over 1,000 partitions", LagEvaluationBench::run),
            new Entry("fleet", "50 databases migrated with parallelism 1 vs 4", FleetBench::run),
            new Entry("rehearsal", "rehearsal overhead over plain migrate (200,000 rows, 5 migrations)",
                    io.migrationrunbook.rehearse.RehearsalBench::run));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.has("help")) {
            System.out.println("usage: bench/run [--option=value...] [NAME...]\nbenchmarks:");
            ALL.forEach(e -> System.out.printf("  %-13s %s%n", e.name(), e.description()));
            System.out.println("options: " + Options.HELP);
            return;
        }
        List<Entry> selected = new ArrayList<>();
        for (String name : options.names()) {
            selected.add(ALL.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "unknown benchmark '" + name + "': one of " + ALL.stream().map(Entry::name).toList())));
        }
        if (selected.isEmpty()) {
            selected.addAll(ALL);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", Machine.describe().asMap());
        try (Environment environment = new Environment()) {
            for (Entry entry : selected) {
                System.out.printf("%n## %s: %s%n", entry.name(), entry.description());
                long start = System.nanoTime();
                try {
                    Map<String, Object> figures = new LinkedHashMap<>(entry.benchmark().run(options, environment));
                    figures.put("benchmarkSeconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
                    json.put(entry.name(), figures);
                } catch (Exception | AssertionError e) {
                    System.out.printf("%s FAILED: %s%n", entry.name(), e);
                    e.printStackTrace(System.out);
                    json.put(entry.name(), Map.of("error", String.valueOf(e)));
                }
            }
        }
        System.out.flush();
        System.out.println(Json.write(json));
        System.exit(0); // Kafka and the demo service leave non-daemon threads behind
    }

    /** Servers shared by the benchmarks of one run, started on first use. */
    public static final class Environment implements AutoCloseable {
        private PostgresServer postgres;
        private KafkaBroker kafka;

        public synchronized PostgresServer postgres() {
            if (postgres == null) {
                postgres = PostgresServer.fromEnvironmentOrEmbedded();
            }
            return postgres;
        }

        public synchronized KafkaBroker kafka() {
            if (kafka == null) {
                kafka = KafkaBroker.start();
            }
            return kafka;
        }

        @Override
        public void close() {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
