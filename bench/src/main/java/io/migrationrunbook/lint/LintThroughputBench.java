package io.migrationrunbook.lint;

import io.migrationrunbook.bench.Bench;
import io.migrationrunbook.bench.Options;
import io.migrationrunbook.bench.Stats;
import io.migrationrunbook.bench.Table;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lint throughput: statements per second over the generated corpus ({@code --lint-files}, default 1,000 files, at least
 * 5,000 statements), parsing and all rules included, no database, one thread. Median of {@code --rounds} rounds after a
 * warm-up round (JIT, JSqlParser's first-use initialisation).
 */
public final class LintThroughputBench {

    private LintThroughputBench() {
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) {
        int fileCount = options.integer("lint-files", 1000, 1000);
        int rounds = options.integer("rounds", 5, 3);
        List<LintCorpus.CorpusFile> corpus = LintCorpus.generate(fileCount, 42L);
        long bytes = corpus.stream().mapToLong(f -> f.sql().length()).sum();
        lint(corpus);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> rates = new ArrayList<>();
        List<Long> cpuRates = new ArrayList<>();
        int statements = 0;
        int findings = 0;
        Table table = new Table("round", "files", "statements", "findings", "wall", "CPU", "statements/s", "statements per CPU s");
        for (int round = 1; round <= rounds; round++) {
            long started = System.nanoTime();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            LintReport report = lint(corpus);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
            statements = report.summary().statements();
            findings = report.findings().size();
            rates.add(Math.round(statements / seconds));
            cpuRates.add(Math.round(statements / cpuSeconds));
            table.row(round, report.summary().files(), statements, findings, String.format("%.3f s", seconds),
                    String.format("%.3f s", cpuSeconds), Math.round(statements / seconds), Math.round(statements / cpuSeconds));
        }
        table.note("median: %d statements/s wall, %d per CPU second (%d statements, %.1f MB of SQL, one thread)",
                Stats.median(rates), Stats.median(cpuRates), statements, bytes / 1e6);
        table.print();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("statements", statements);
        json.put("findings", findings);
        json.put("statementsPerSecond", Stats.median(rates));
        json.put("statementsPerCpuSecond", Stats.median(cpuRates));
        return json;
    }

    private static LintReport lint(List<LintCorpus.CorpusFile> corpus) {
        List<Migration> migrations = new ArrayList<>(corpus.size());
        for (LintCorpus.CorpusFile file : corpus) {
            migrations.add(MigrationLoader.parse(Path.of(file.name()), file.sql(), null));
        }
        return Linter.lintMigrations(migrations, LintSettings.defaults());
    }
}
