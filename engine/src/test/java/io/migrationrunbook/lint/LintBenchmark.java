package io.migrationrunbook.lint;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lint throughput: statements per second over the generated corpus (at least 5,000 statements), parsing and all
 * rules included, no database. Run it as described in docs/lint.md; prints one line per round and the median.
 *
 * <p>Arguments: [files (default 1000)] [rounds (default 5)].
 */
public final class LintBenchmark {

    private LintBenchmark() {
    }

    public static void main(String[] args) {
        int fileCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<LintCorpus.CorpusFile> corpus = LintCorpus.generate(fileCount, 42L);
        long bytes = corpus.stream().mapToLong(f -> f.sql().length()).sum();
        // warm-up: JIT and JSqlParser's first-use initialisation are not part of the figure
        lint(corpus);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> rates = new ArrayList<>();
        List<Double> cpuRates = new ArrayList<>();
        int statements = 0;
        for (int round = 1; round <= rounds; round++) {
            long started = System.nanoTime();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            LintReport report = lint(corpus);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
            statements = report.summary().statements();
            rates.add(statements / seconds);
            cpuRates.add(statements / cpuSeconds);
            System.out.printf("round %d: %d files, %d statements, %d findings in %.3f s wall (%.3f s CPU) = %.0f statements/s "
                            + "(%.0f per CPU second)%n", round, report.summary().files(), statements, report.findings().size(),
                    seconds, cpuSeconds, statements / seconds, statements / cpuSeconds);
        }
        rates.sort(Double::compare);
        cpuRates.sort(Double::compare);
        System.out.printf("lint throughput: %.0f statements/s wall, %.0f statements per CPU second (medians of %d rounds, "
                        + "%d statements, %.1f MB of SQL, Java %s, %d cores, one thread)%n",
                rates.get(rates.size() / 2), cpuRates.get(cpuRates.size() / 2), rounds, statements, bytes / 1e6,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    }

    private static LintReport lint(List<LintCorpus.CorpusFile> corpus) {
        List<Migration> migrations = new ArrayList<>(corpus.size());
        for (LintCorpus.CorpusFile file : corpus) {
            migrations.add(MigrationLoader.parse(Path.of(file.name()), file.sql(), null));
        }
        return Linter.lintMigrations(migrations, LintSettings.defaults());
    }
}
