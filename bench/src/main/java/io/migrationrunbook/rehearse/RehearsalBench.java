package io.migrationrunbook.rehearse;

import io.migrationrunbook.bench.Bench;
import io.migrationrunbook.bench.Options;
import io.migrationrunbook.bench.Table;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rehearsal overhead over simply running the same migrations: a target with one table of {@code --rows} rows and five
 * pending migrations (nullable column, constant default, CREATE INDEX, int to bigint rewrite, a 1 % UPDATE).
 * Side by side in each round: (a) plain {@code runbook migrate} (Flyway) on a copy made with CREATE DATABASE ... TEMPLATE;
 * (b) {@code runbook rehearse --sample-rows ROWS} (every row copied): its setup (schema dump, COPY of the rows, indexes),
 * its observed migration run (locks, relfilenodes, per statement) and its total wall time including the catalog diff
 * and the drop. Medians of {@code --rounds}.
 */
public final class RehearsalBench {

    private RehearsalBench() {
    }

    public static Map<String, Object> run(Options options, Bench.Environment environment) throws Exception {
        int rows = options.integer("rows", 200_000, 20_000);
        int rounds = options.integer("rounds", 5, 2);
        PostgresServer server = environment.postgres();
        Path dir = Files.createTempDirectory("rehearsal-bench");
        String database = server.createDatabase("bench_rehearsal");
        DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(),
                server.password() == null ? null : Secret.of(server.password()));
        try {
            Files.writeString(dir.resolve("V1__create_accounts.sql"), "CREATE TABLE accounts (id serial PRIMARY KEY, balance int NOT NULL, note text);");
            MigrationSettings settings = MigrationSettings.create().locations("filesystem:" + dir);
            new Migrator(target, settings).migrate(Progress.silent());
            try (Connection c = target.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO accounts (balance, note) SELECT g % 100000, md5(g::text) FROM generate_series(1, " + rows + ") g");
                s.execute("ANALYZE accounts");
            }
            Files.writeString(dir.resolve("V2__add_nickname_to_accounts.sql"), "ALTER TABLE accounts ADD COLUMN nickname text;");
            Files.writeString(dir.resolve("V3__add_tier_to_accounts.sql"), "ALTER TABLE accounts ADD COLUMN tier int NOT NULL DEFAULT 0;");
            Files.writeString(dir.resolve("V4__index_accounts_by_balance.sql"), "CREATE INDEX accounts_balance_ix ON accounts (balance);");
            Files.writeString(dir.resolve("V5__widen_balance_to_bigint.sql"), "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;");
            Files.writeString(dir.resolve("V6__mark_first_accounts.sql"), "UPDATE accounts SET note = 'first' WHERE id <= " + rows / 100 + ";");

            List<Long> plain = new ArrayList<>();
            List<Long> raw = new ArrayList<>();
            List<Long> setup = new ArrayList<>();
            List<Long> observed = new ArrayList<>();
            List<Long> own = new ArrayList<>();
            List<Long> total = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                String copy = database + "_plain_" + round;
                try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + copy + " TEMPLATE " + database);
                }
                try {
                    long start = System.nanoTime();
                    MigrationResult result = new Migrator(target.withDatabase(copy), settings).migrate(Progress.silent());
                    plain.add((System.nanoTime() - start) / 1_000_000);
                    if (!result.succeeded()) {
                        throw new IllegalStateException("plain migrate failed: " + result.failure());
                    }
                } finally {
                    server.dropDatabase(copy);
                }
                String rawCopy = database + "_raw_" + round;
                try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + rawCopy + " TEMPLATE " + database);
                }
                try {
                    raw.add(runUnobserved(target.withDatabase(rawCopy), dir));
                } finally {
                    server.dropDatabase(rawCopy);
                }
                long start = System.nanoTime();
                RehearsalResult r = Rehearsal.of(target, RehearsalSettings.create().migrations(settings).sampleRows(rows)).run(Progress.silent());
                total.add((System.nanoTime() - start) / 1_000_000);
                if (r.failure() != null) {
                    throw new IllegalStateException("rehearsal failed: " + r.failure());
                }
                setup.add(r.setupMs());
                observed.add(r.runWallMs());
                own.add(r.estimatedDurationMs());
            }
            long p = median(plain);
            long o = median(observed);
            long t = median(total);
            Table table = new Table("what", "median of " + rounds, "vs plain migrate");
            table.row("plain runbook migrate (Flyway) on a TEMPLATE copy", Table.ms(p), "1.00x");
            long u = median(raw);
            table.row("the same statements over JDBC, same transactions, unobserved", Table.ms(u), String.format("%.2fx", (double) u / p));
            table.row("rehearse: migrations run, observed per statement (wall)", Table.ms(o), String.format("%.2fx (%.2fx unobserved)",
                    (double) o / p, (double) o / u));
            table.row("rehearse: of which the statements themselves (estimate)", Table.ms(median(own)), "");
            table.row("rehearse: setup (schema dump, COPY rows, indexes)", Table.ms(median(setup)), "");
            table.row("rehearse: total wall (setup, run, diff, drop)", Table.ms(t), String.format("%.2fx", (double) t / p));
            table.note("%,d rows; 5 pending migrations (nullable column, constant default, CREATE INDEX, int->bigint rewrite, 1%% UPDATE)", rows);
            table.print();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("rows", rows);
            json.put("plainMigrateMs", p);
            json.put("unobservedRunMs", u);
            json.put("rehearsalRunMs", o);
            json.put("rehearsalStatementsMs", median(own));
            json.put("observationOverheadRatio", Math.round(100.0 * o / u) / 100.0);
            json.put("rehearsalSetupMs", median(setup));
            json.put("rehearsalTotalMs", t);
            json.put("runOverheadRatio", Math.round(100.0 * o / p) / 100.0);
            json.put("totalOverheadRatio", Math.round(100.0 * t / p) / 100.0);
            return json;
        } finally {
            server.dropDatabase(database);
        }
    }

    /** The pending files' statements over plain JDBC with Flyway's boundaries (one transaction per file), nothing observed. */
    private static long runUnobserved(DatabaseTarget copy, Path dir) throws Exception {
        List<Path> files = io.migrationrunbook.lint.MigrationLoader.files(List.of(dir)).stream()
                .filter(f -> !f.getFileName().toString().startsWith("V1__")).toList();
        List<io.migrationrunbook.lint.Migration> migrations = new ArrayList<>();
        for (Path f : files) {
            migrations.add(io.migrationrunbook.lint.MigrationLoader.load(f));
        }
        try (Connection c = copy.connect()) {
            long start = System.nanoTime();
            for (io.migrationrunbook.lint.Migration m : migrations) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (io.migrationrunbook.lint.ParsedStatement st : m.statements()) {
                        s.execute(st.statement().text());
                    }
                }
                c.commit();
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
