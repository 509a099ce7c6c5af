package io.migrationrunbook.backup;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Backup wrapper overhead against bare {@code pg_dump -Fc} on the same database, same pg_dump, same machine. Prints
 * figures; asserts nothing about speed. Run with:
 * {@code mvn -B -q -pl engine -am test -Dtest=BackupOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true
 * [-Dbench.mb=200] [-Dbench.rounds=3]} and read engine/target/surefire-reports/*BackupOverheadBenchmark-output.txt.
 */
@ExtendWith(PostgresExtension.class)
@EnabledIfSystemProperty(named = "bench", matches = "true", disabledReason = "benchmark: run with -Dbench=true")
class BackupOverheadBenchmark {

    @TempDir
    Path dir;

    @Test
    void wrapperOverheadVersusBarePgDump(TestDatabase db) throws Exception {
        int targetMb = Integer.getInteger("bench.mb", 200);
        int rounds = Integer.getInteger("bench.rounds", 3);
        DatabaseTarget target = BackupRestoreTest.target(db);

        long t0 = System.nanoTime();
        // ~150 bytes per row on disk (heap + primary key): two tables, so counting and dumping see more than one relation.
        long rows = targetMb * 1024L * 1024L / 150 / 2;
        for (String table : List.of("bench_a", "bench_b")) {
            db.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, payload text, at timestamptz, bucket int)",
                    "INSERT INTO " + table + " SELECT g, md5(g::text) || md5((g * 7)::text), "
                            + "'2026-01-01'::timestamptz + g * interval '1 second', g % 1000 FROM generate_series(1, " + rows + ") g");
        }
        db.execute("VACUUM ANALYZE");
        long sizeBytes = db.queryLong("SELECT pg_database_size(current_database())");
        System.out.printf("database %s: %.1f MiB (pg_database_size, incl. primary keys), %d rows, generated in %.1f s%n",
                db.name(), sizeBytes / 1048576.0, rows * 2, (System.nanoTime() - t0) / 1e9);

        Path pgDump = PgTools.locate(null).require("pg_dump");
        List<Long> bare = new ArrayList<>();
        List<Long> wrapped = new ArrayList<>();
        long dumpSize = 0;
        for (int round = 0; round < rounds; round++) {
            Path bareFile = dir.resolve("bare-" + round + ".dump");
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(pgDump.toString(), "-Fc", "--no-password", "--file=" + bareFile).inheritIO();
            try (DatabaseTarget.LibpqEnvironment env = target.libpqEnvironment()) {
                env.applyTo(builder);
                int exit = builder.start().waitFor();
                if (exit != 0) {
                    throw new AssertionError("bare pg_dump failed: " + exit);
                }
            }
            bare.add((System.nanoTime() - start) / 1_000_000);
            dumpSize = Files.size(bareFile);
            Files.delete(bareFile);

            Path out = dir.resolve("wrapped-" + round + ".dump");
            start = System.nanoTime();
            Backup.run(target, new BackupSettings().out(out).progressInterval(java.time.Duration.ofSeconds(60)),
                    round == rounds - 1 ? Progress.to(System.out) : Progress.silent());
            wrapped.add((System.nanoTime() - start) / 1_000_000);
            Files.delete(out);
            Files.delete(BackupMetadata.sidecarOf(out));
            System.out.printf("round %d: bare pg_dump -Fc %d ms, runbook backup %d ms%n", round + 1, bare.get(round), wrapped.get(round));
        }
        long bareMedian = median(bare);
        long wrappedMedian = median(wrapped);
        System.out.printf("dump size %.1f MiB; median of %d: bare %d ms, runbook backup %d ms, overhead %+.1f %%%n",
                dumpSize / 1048576.0, rounds, bareMedian, wrappedMedian, 100.0 * (wrappedMedian - bareMedian) / bareMedian);
        long bareMin = bare.stream().min(Long::compare).orElseThrow();
        long wrappedMin = wrapped.stream().min(Long::compare).orElseThrow();
        // On a shared machine the fastest run is the least disturbed one: compare minimums too.
        System.out.printf("fastest of %d: bare %d ms, runbook backup %d ms, overhead %+.1f %%%n",
                rounds, bareMin, wrappedMin, 100.0 * (wrappedMin - bareMin) / bareMin);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
