package io.migrationrunbook.bench;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.schema.SchemaDiff;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import io.migrationrunbook.verify.Expectations;
import io.migrationrunbook.verify.VerificationReport;
import io.migrationrunbook.verify.VerificationSettings;
import io.migrationrunbook.verify.Verifier;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshot plus verify of a schema with N tables of 10 columns each (a primary key, a secondary index, defaults, a
 * foreign key on every tenth table), at {@code --tables} sizes (default 200,2000,20000): the snapshot read, writing it
 * as JSON, verify against it ({@code verify --snapshot}), the diff alone, exact row counts, an expectations file.
 * Medians of {@code --rounds} rounds after a warm-up read.
 */
public final class SchemaSnapshotBench {

    private static final int COLUMNS_PER_TABLE = 10;

    private SchemaSnapshotBench() {
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) throws Exception {
        int rounds = options.integer("rounds", 5, 3);
        PostgresServer server = environment.postgres();
        Table table = new Table("tables", "columns", "indexes", "constraints", "create", "snapshot read (median / min)",
                "CPU server / client", "write JSON", "JSON", "verify --snapshot (median / min)", "diff only",
                "snapshot + verify (median)", "row counts", "expectations");
        Map<String, Object> json = new LinkedHashMap<>();
        for (String size : options.text("tables", "200,2000,20000", "200,2000").split(",")) {
            int tables = Integer.parseInt(size.trim());
            String database = server.createDatabase("bench_schema_" + tables);
            try {
                json.put("tables" + tables, measure(server, database, tables, rounds, table));
            } finally {
                server.dropDatabase(database);
            }
        }
        table.note("%d columns per table; medians of %d rounds; target: snapshot + verify of 2,000 tables under 2 s", COLUMNS_PER_TABLE, rounds);
        table.print();
        return json;
    }

    private static Map<String, Object> measure(PostgresServer server, String database, int tables, int rounds, Table table) throws Exception {
        DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
        long created = System.nanoTime();
        createSchema(server, database, tables);
        double createSeconds = (System.nanoTime() - created) / 1e9;

        Path dir = Files.createTempDirectory("bench-snapshot");
        Path file = dir.resolve("snapshot.json");
        SnapshotReader.read(target, SnapshotOptions.defaults()); // warm up the JIT and the server's catalog caches
        List<Long> read = new ArrayList<>();
        List<Long> write = new ArrayList<>();
        List<Long> verify = new ArrayList<>();
        List<Long> diff = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        List<Long> serverCpu = new ArrayList<>();
        List<Long> clientCpu = new ArrayList<>();
        SchemaSnapshot snapshot = null;
        VerificationReport report = null;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long client0 = threads.getCurrentThreadCpuTime();
            try (Connection connection = target.connect()) {
                long backend = backendPid(connection);
                long server0 = cpuMillis(backend);
                snapshot = SnapshotReader.read(connection, SnapshotOptions.defaults());
                serverCpu.add(server0 < 0 ? -1 : cpuMillis(backend) - server0);
            }
            clientCpu.add((threads.getCurrentThreadCpuTime() - client0) / 1_000_000);
            long t1 = System.nanoTime();
            snapshot.writeTo(file);
            long t2 = System.nanoTime();
            SchemaSnapshot expected = SchemaSnapshot.readFrom(file);
            report = Verifier.verify(target, VerificationSettings.none().withExpectedSnapshot(expected), Progress.silent());
            long t3 = System.nanoTime();
            SchemaDiff.between(expected, snapshot);
            long t4 = System.nanoTime();
            read.add(ms(t1 - t0));
            write.add(ms(t2 - t1));
            verify.add(ms(t3 - t2));
            diff.add(ms(t4 - t3));
            total.add(ms(t3 - t0));
        }
        if (!report.passed()) {
            throw new IllegalStateException("verify of an unchanged schema failed:\n" + report.toText());
        }
        long c0 = System.nanoTime();
        SchemaSnapshot counted = SnapshotReader.read(target, SnapshotOptions.defaults().withRowCounts(true));
        long counts = ms(System.nanoTime() - c0);
        Expectations expectations = Expectations.parse("""
                tables:
                  t_1: { columns: [id, name, {name: amount, type: "numeric(12,2)", nullable: false}], indexes: [t_1_name_ix] }
                  t_%d: { columns: [id, status], constraints: [t_%d_pkey] }
                """.formatted(tables, tables), "bench.yaml");
        long e0 = System.nanoTime();
        VerificationReport expectationReport = Verifier.verify(target, VerificationSettings.none().withExpectations(expectations)
                .withRowCountBaseline(counted), Progress.silent());
        long expectationMs = ms(System.nanoTime() - e0);
        if (!expectationReport.passed()) {
            throw new IllegalStateException("expectations failed:\n" + expectationReport.toText());
        }
        long jsonKiB = Files.size(file) / 1024;
        table.row(snapshot.tables().size(), snapshot.columnCount(), snapshot.indexCount(), snapshot.constraintCount(),
                String.format("%.1f s", createSeconds), Stats.median(read) + " / " + Stats.min(read) + " ms",
                (Stats.median(serverCpu) < 0 ? "n/a" : Stats.median(serverCpu) + " ms") + " / " + Stats.median(clientCpu) + " ms",
                Stats.median(write) + " ms", jsonKiB + " KiB", Stats.median(verify) + " / " + Stats.min(verify) + " ms",
                Stats.median(diff) + " ms", Stats.median(total) + " ms", counts + " ms", expectationMs + " ms");
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("columns", snapshot.columnCount());
        figures.put("snapshotMedianMs", Stats.median(read));
        figures.put("verifyMedianMs", Stats.median(verify));
        figures.put("snapshotPlusVerifyMedianMs", Stats.median(total));
        figures.put("rowCountsMs", counts);
        return figures;
    }

    /** N tables in batches of 500 per transaction (one transaction for all would exhaust the shared lock table). */
    private static void createSchema(PostgresServer server, String database, int tables) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parent (id bigint PRIMARY KEY)");
            for (int from = 1; from <= tables; from += 500) {
                int to = Math.min(tables, from + 499);
                s.execute("""
                        DO $$ BEGIN FOR i IN %d..%d LOOP
                          EXECUTE format('CREATE TABLE t_%%s (id bigint PRIMARY KEY, name text NOT NULL, status varchar(32) DEFAULT ''new'' NOT NULL,
                              amount numeric(12,2) DEFAULT 0 NOT NULL, created_at timestamptz DEFAULT now(), note text, flags int[],
                              payload jsonb, parent_id bigint %%s, version int DEFAULT 1)', i,
                              CASE WHEN i %% 10 = 0 THEN 'REFERENCES parent (id)' ELSE '' END);
                          EXECUTE format('CREATE INDEX t_%%s_name_ix ON t_%%s (name)', i, i);
                        END LOOP; END $$""".formatted(from, to));
            }
        }
    }

    private static long backendPid(Connection connection) throws Exception {
        try (Statement s = connection.createStatement(); var rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * CPU time (user + system) the server backend has used, from /proc: what the snapshot costs the server whatever
     * the machine's load. -1 when the server is not a local process (external server).
     */
    private static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
