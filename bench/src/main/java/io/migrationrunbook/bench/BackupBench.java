package io.migrationrunbook.bench;

import io.migrationrunbook.backup.Backup;
import io.migrationrunbook.backup.BackupFormat;
import io.migrationrunbook.backup.BackupMetadata;
import io.migrationrunbook.backup.BackupSettings;
import io.migrationrunbook.backup.PgTools;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Backup: {@code runbook backup} ({@link Backup}: pg_dump plus free-space check, TOC listing, hashing, row counts, sidecar)
 * against bare {@code pg_dump -Fc} on the same database of {@code --backup-mb} (default 500 MB), alternating, over
 * {@code --rounds} rounds; then directory format with 2 jobs against 1. Same pg_dump, same machine, same run.
 */
public final class BackupBench {

    private BackupBench() {
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) throws Exception {
        int targetMb = options.integer("backup-mb", 500, 100);
        int rounds = options.integer("rounds", 3, 2);
        PostgresServer server = environment.postgres();
        String database = server.createDatabase("bench_backup");
        DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
        Path dir = Files.createTempDirectory("bench-backup");
        try {
            long t0 = System.nanoTime();
            // ~150 bytes per row on disk (heap + primary key); two tables, so counting and dumping see more than one relation
            // and directory format has two tables to dump in parallel.
            long rows = targetMb * 1024L * 1024L / 150 / 2;
            try (Connection c = server.connect(database); Statement s = c.createStatement()) {
                for (String table : List.of("bench_a", "bench_b")) {
                    s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, payload text, at timestamptz, bucket int)");
                    s.execute("INSERT INTO " + table + " SELECT g, md5(g::text) || md5((g * 7)::text), "
                            + "'2026-01-01'::timestamptz + g * interval '1 second', g % 1000 FROM generate_series(1, " + rows + ") g");
                }
                s.execute("VACUUM ANALYZE");
            }
            long sizeBytes;
            try (Connection c = server.connect(database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                sizeBytes = rs.getLong(1);
            }
            double generatedSeconds = (System.nanoTime() - t0) / 1e9;

            Path pgDump = PgTools.locate(null).require("pg_dump");
            List<Long> bare = new ArrayList<>();
            List<Long> wrapped = new ArrayList<>();
            List<Long> dir1 = new ArrayList<>();
            List<Long> dir2 = new ArrayList<>();
            long dumpSize = 0;
            for (int round = 0; round < rounds; round++) {
                Path bareFile = dir.resolve("bare-" + round + ".dump");
                long start = System.nanoTime();
                ProcessBuilder builder = new ProcessBuilder(pgDump.toString(), "-Fc", "--no-password", "--file=" + bareFile)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                try (DatabaseTarget.LibpqEnvironment env = target.libpqEnvironment()) {
                    env.applyTo(builder);
                    int exit = builder.start().waitFor();
                    if (exit != 0) {
                        throw new IllegalStateException("bare pg_dump failed: exit " + exit);
                    }
                }
                bare.add((System.nanoTime() - start) / 1_000_000);
                dumpSize = Files.size(bareFile);
                Files.delete(bareFile);

                wrapped.add(backup(target, dir.resolve("wrapped-" + round + ".dump"), BackupFormat.CUSTOM, 1));
                dir1.add(backup(target, dir.resolve("dir1-" + round), BackupFormat.DIRECTORY, 1));
                dir2.add(backup(target, dir.resolve("dir2-" + round), BackupFormat.DIRECTORY, 2));
            }
            Table table = new Table("what", "median of " + rounds, "fastest", "ratio (median)", "ratio (fastest)");
            table.row("bare pg_dump -Fc", bare.size() > 0 ? Stats.median(bare) + " ms" : "", Stats.min(bare) + " ms", "1.00", "1.00");
            table.row("runbook backup (custom)", Stats.median(wrapped) + " ms", Stats.min(wrapped) + " ms",
                    ratio(Stats.median(wrapped), Stats.median(bare)), ratio(Stats.min(wrapped), Stats.min(bare)));
            table.row("runbook backup, directory, 1 job", Stats.median(dir1) + " ms", Stats.min(dir1) + " ms", "1.00", "1.00");
            table.row("runbook backup, directory, 2 jobs", Stats.median(dir2) + " ms", Stats.min(dir2) + " ms",
                    ratio(Stats.median(dir2), Stats.median(dir1)), ratio(Stats.min(dir2), Stats.min(dir1)));
            table.note("database %.0f MiB (pg_database_size, 2 tables, %d rows, generated in %.0f s); custom dump %.0f MiB; "
                    + "rounds alternate bare / runbook / dir 1 / dir 2; target: runbook / bare ≤ 1.05", sizeBytes / 1048576.0, rows * 2,
                    generatedSeconds, dumpSize / 1048576.0);
            table.print();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("databaseMiB", Math.round(sizeBytes / 1048576.0));
            json.put("bareMedianMs", Stats.median(bare));
            json.put("runbookMedianMs", Stats.median(wrapped));
            json.put("ratio", Double.parseDouble(ratio(Stats.median(wrapped), Stats.median(bare))));
            json.put("directory1JobMedianMs", Stats.median(dir1));
            json.put("directory2JobsMedianMs", Stats.median(dir2));
            json.put("directory2vs1", Double.parseDouble(ratio(Stats.median(dir2), Stats.median(dir1))));
            return json;
        } finally {
            server.dropDatabase(database);
            deleteTree(dir);
        }
    }

    private static long backup(DatabaseTarget target, Path out, BackupFormat format, int jobs) {
        long start = System.nanoTime();
        Backup.run(target, new BackupSettings().out(out).format(format).jobs(jobs).progressInterval(Duration.ofMinutes(10)), Progress.silent());
        long ms = (System.nanoTime() - start) / 1_000_000;
        deleteTree(out);
        deleteTree(BackupMetadata.sidecarOf(out));
        return ms;
    }

    private static String ratio(long value, long base) {
        return String.format(java.util.Locale.ROOT, "%.2f", value / (double) base);
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
