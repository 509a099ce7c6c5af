package io.migrationrunbook.bench;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.schema.SchemaDiff;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import io.migrationrunbook.verify.Expectations;
import io.migrationrunbook.verify.VerificationReport;
import io.migrationrunbook.verify.VerificationSettings;
import io.migrationrunbook.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Snapshot plus verify of a schema with N tables of 10 columns each (a primary key, a secondary index, defaults, a
 * foreign key on every tenth table). Prints figures; asserts nothing about speed. Run with
 * {@code mvn -B -q -pl engine -am test -Dtest=SchemaSnapshotBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true
 * [-Dbench.tables=200,2000,20000] [-Dbench.rounds=5]} and read
 * engine/target/surefire-reports/io.migrationrunbook.bench.SchemaSnapshotBenchmark-output.txt, or run {@link #main} with
 * the test classpath. Uses {@code RUNBOOK_TEST_PG_URL} when set, else the embedded PostgreSQL.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true", disabledReason = "benchmark: run with -Dbench=true")
public class SchemaSnapshotBenchmark {

    private static final int COLUMNS_PER_TABLE = 10;

    @Test
    void snapshotAndVerify() throws Exception {
        run(PostgresExtension.server(), sizes(System.getProperty("bench.tables", "200,2000")), Integer.getInteger("bench.rounds", 5));
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = sizes(args.length > 0 ? args[0] : "200,2000,20000");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (PostgresServer server = PostgresServer.fromEnvironmentOrEmbedded()) {
            run(server, sizes, rounds);
        }
    }

    static void run(PostgresServer server, int[] sizes, int rounds) throws Exception {
        System.out.printf("SchemaSnapshotBenchmark on %s, %d cores, load average %.1f, %d rounds per size%n", server,
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), rounds);
        System.out.println("tables | columns | indexes | constraints | create s | snapshot read ms (median/min) | CPU ms server/client | write JSON ms | "
                + "JSON KiB | verify --snapshot ms (median/min) | diff-only ms | snapshot+verify ms (median) | row counts ms | expectations ms");
        for (int tables : sizes) {
            String database = server.createDatabase("bench_schema_" + tables);
            try {
                measure(server, database, tables, rounds);
            } finally {
                server.dropDatabase(database);
            }
        }
    }

    private static void measure(PostgresServer server, String database, int tables, int rounds) throws Exception {
        DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
        long created = System.nanoTime();
        createSchema(server, database, tables);
        double createSeconds = (System.nanoTime() - created) / 1e9;

        Path dir = Files.createTempDirectory("bench-snapshot");
        Path file = dir.resolve("snapshot.json");
        SnapshotReader.read(target, SnapshotOptions.defaults()); // warm up the JIT and the server's catalog caches
        long[] read = new long[rounds];
        long[] write = new long[rounds];
        long[] verify = new long[rounds];
        long[] diff = new long[rounds];
        long[] total = new long[rounds];
        long[] serverCpu = new long[rounds];
        long[] clientCpu = new long[rounds];
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
                serverCpu[r] = server0 < 0 ? -1 : cpuMillis(backend) - server0;
            }
            clientCpu[r] = (threads.getCurrentThreadCpuTime() - client0) / 1_000_000;
            long t1 = System.nanoTime();
            snapshot.writeTo(file);
            long t2 = System.nanoTime();
            SchemaSnapshot expected = SchemaSnapshot.readFrom(file);
            report = Verifier.verify(target, VerificationSettings.none().withExpectedSnapshot(expected), Progress.silent());
            long t3 = System.nanoTime();
            SchemaDiff.between(expected, snapshot);
            long t4 = System.nanoTime();
            read[r] = ms(t1 - t0);
            write[r] = ms(t2 - t1);
            verify[r] = ms(t3 - t2);
            diff[r] = ms(t4 - t3);
            total[r] = ms(t3 - t0);
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
        System.out.printf("%6d | %7d | %7d | %11d | %8.1f | %6d / %6d | %6s / %6d | %13d | %8d | %6d / %6d | %12d | %6d | %13d | %15d%n",
                snapshot.tables().size(), snapshot.columnCount(), snapshot.indexCount(), snapshot.constraintCount(), createSeconds,
                median(read), min(read), median(serverCpu) < 0 ? "n/a" : Long.toString(median(serverCpu)), median(clientCpu),
                median(write), Files.size(file) / 1024, median(verify), min(verify), median(diff),
                median(total), counts, expectationMs);
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
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
            s.execute("DROP TABLE IF EXISTS no_such_table"); // keeps the statement count honest when tables = 0
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

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long min(long[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static int[] sizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            sizes.add(Integer.parseInt(part.trim()));
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }
}
