package io.migrationrunbook.bench;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.fleet.FleetMigration;
import io.migrationrunbook.fleet.FleetResult;
import io.migrationrunbook.migrate.MigrationSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet of {@code --fleet} databases (default 50, each with 20,000 rows) migrated with {@link FleetMigration} at
 * parallelism 1 and {@code --fleet-parallelism} (default 4): the same four migrations (create, add column, backfill,
 * index), on fresh databases for each run.
 */
public final class FleetBench {

    private FleetBench() {
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) throws Exception {
        int size = options.integer("fleet", 50, 20);
        int parallelism = options.integer("fleet-parallelism", 4, 4);
        PostgresServer server = environment.postgres();
        Path dir = Files.createTempDirectory("bench-fleet");
        Files.writeString(dir.resolve("V1__create_accounts.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, balance numeric(12,2));\n"
                + "INSERT INTO accounts SELECT g, md5(g::text), g % 1000 FROM generate_series(1, 20000) g;");
        Files.writeString(dir.resolve("V2__add_status.sql"), "ALTER TABLE accounts ADD COLUMN status text;");
        Files.writeString(dir.resolve("V3__backfill_status.sql"), "UPDATE accounts SET status = CASE WHEN balance > 500 THEN 'gold' ELSE 'basic' END;");
        Files.writeString(dir.resolve("V4__index_owner.sql"), "CREATE INDEX accounts_owner_ix ON accounts (owner);");
        MigrationSettings settings = MigrationSettings.create().locations("filesystem:" + dir);

        Table table = new Table("parallelism", "databases", "migrated", "failed", "wall time", "per database (median)", "speedup");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("databases", size);
        long serialMs = 0;
        for (int p : List.of(1, parallelism)) {
            List<String> databases = new ArrayList<>();
            FleetMigration fleet = new FleetMigration(settings).parallelism(p);
            for (int i = 0; i < size; i++) {
                String database = server.createDatabase("bench_fleet");
                databases.add(database);
                fleet.add("tenant-" + i, new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password())));
            }
            try {
                FleetResult result = fleet.migrate(Progress.silent());
                if (p == 1) {
                    serialMs = result.totalDurationMs();
                }
                double speedup = serialMs / (double) result.totalDurationMs();
                List<Long> each = result.results().stream().map(r -> r.durationMs()).toList();
                table.row(p, result.databases(), result.succeeded(), result.failed(), result.totalDurationMs() + " ms",
                        Stats.median(each) + " ms", String.format("%.2f×", speedup));
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("wallMs", result.totalDurationMs());
                figures.put("medianPerDatabaseMs", Stats.median(each));
                figures.put("failed", result.failed());
                json.put("parallelism" + p, figures);
                if (p != 1) {
                    json.put("speedup", Math.round(speedup * 100) / 100.0);
                }
            } finally {
                databases.forEach(server::dropDatabase);
            }
        }
        table.note("4 migrations per database (create + 20,000 rows, add column, backfill, index); one PostgreSQL server for "
                + "the whole fleet, so the speedup is bounded by its cores");
        table.print();
        return json;
    }
}
