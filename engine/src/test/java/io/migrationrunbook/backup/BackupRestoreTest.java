package io.migrationrunbook.backup;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class BackupRestoreTest {

    @TempDir
    Path dir;

    static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.user(), Secret.of(db.password()));
    }

    /** A schema with the shapes pg_dump treats differently: partitions, quoted names, a second schema, Flyway history. */
    static void createSampleData(TestDatabase db) {
        db.execute(
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12,2), created timestamptz DEFAULT now())",
                "INSERT INTO orders SELECT g, 'customer ' || g, g * 1.5, '2026-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 5000) g",
                "CREATE INDEX orders_customer ON orders (customer)",
                "CREATE TABLE events (id bigint, kind text, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "INSERT INTO events SELECT g, 'k' || (g % 7), '2025-06-01'::date + (g % 300) FROM generate_series(1, 3000) g",
                "CREATE SCHEMA billing",
                "CREATE TABLE billing.\"Invoice Lines\" (id int, amount int)",
                "INSERT INTO billing.\"Invoice Lines\" SELECT g, g FROM generate_series(1, 42) g",
                "CREATE TABLE empty_table (id int)",
                "CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200), "
                        + "type varchar(20), script varchar(1000), checksum int, installed_by varchar(100), "
                        + "installed_on timestamp DEFAULT now(), execution_time int, success boolean)",
                "INSERT INTO flyway_schema_history VALUES (1, '1', 'init', 'SQL', 'V1__init.sql', 1, 'x', now(), 1, true), "
                        + "(2, '2.1', 'orders', 'SQL', 'V2_1__orders.sql', 1, 'x', now(), 1, true), "
                        + "(3, NULL, 'view', 'SQL', 'R__view.sql', 1, 'x', now(), 1, true), "
                        + "(4, '3', 'broken', 'SQL', 'V3__broken.sql', 1, 'x', now(), 1, false)");
    }

    /** md5 of every row of a table, in key order: equal means equal data. */
    static String fingerprint(DatabaseTarget target, String table) throws Exception {
        try (Connection c = target.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table + " t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static final List<String> TABLES = List.of("orders", "events", "billing.\"Invoice Lines\"", "empty_table", "flyway_schema_history");

    @Test
    void customFormatRoundTripRestoresEqualDataIntoANewDatabase(TestDatabase db) throws Exception {
        createSampleData(db);
        List<String> messages = new CopyOnWriteArrayList<>();
        Path out = dir.resolve("app.dump");

        BackupResult backup = Backup.run(target(db), new BackupSettings().out(out), messages::add);

        assertThat(backup.verified()).isTrue();
        assertThat(out).isRegularFile();
        assertThat(backup.sha256()).isEqualTo(Checksums.sha256(out)).hasSize(64);
        assertThat(backup.sizeBytes()).isEqualTo(Files.size(out));
        assertThat(backup.flywayVersion()).isEqualTo("2.1");
        assertThat(backup.tablesVerified()).isEqualTo(7); // events is partitioned: parent + 2 partitions
        BackupMetadata sidecar = Json.mapper().readValue(dir.resolve("app.dump.meta.json").toFile(), BackupMetadata.class);
        assertThat(sidecar).isEqualTo(backup.metadata());
        assertThat(sidecar.database()).isEqualTo(db.name());
        assertThat(sidecar.serverVersion()).startsWith("15.");
        assertThat(sidecar.pgDumpVersion()).matches("\\d+\\.\\d+");
        assertThat(sidecar.rowCounts()).containsEntry("public.orders", 5000L).containsEntry("public.events_2025", 3000L - sidecar.rowCounts().get("public.events_2026"))
                .containsEntry("billing.Invoice Lines", 42L).containsEntry("public.empty_table", 0L).doesNotContainKey("public.events");
        assertThat(sidecar.finishedAt()).isAfterOrEqualTo(sidecar.startedAt());
        assertThat(messages).anyMatch(m -> m.startsWith("Running pg_dump")).anyMatch(m -> m.startsWith("Backup verified and complete"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app.dump", "app.dump.meta.json");
        }

        RestoreResult restore = Restore.run(target(db), new RestoreSettings().from(out), Progress.silent());

        assertThat(restore.passed()).isTrue();
        assertThat(restore.checksumVerified()).isTrue();
        assertThat(restore.database()).startsWith(db.name() + "_restored_").isNotEqualTo(db.name());
        assertThat(restore.replaced()).isFalse();
        assertThat(restore.tablesCompared()).isEqualTo(6);
        assertThat(restore.mismatches()).isEmpty();
        DatabaseTarget restored = target(db).withDatabase(restore.database());
        for (String table : TABLES) {
            assertThat(fingerprint(restored, table)).as(table).isEqualTo(fingerprint(target(db), table));
        }
        db.server().dropDatabase(restore.database());
    }

    @Test
    void directoryFormatWithParallelJobsRoundTrips(TestDatabase db) throws Exception {
        createSampleData(db);
        Path out = dir.resolve("app.dir");

        BackupResult backup = Backup.run(target(db), new BackupSettings().out(out).format(BackupFormat.DIRECTORY).jobs(2), Progress.silent());

        assertThat(out).isDirectory();
        assertThat(out.resolve("toc.dat")).isRegularFile();
        assertThat(backup.verified()).isTrue();
        assertThat(backup.sha256()).isEqualTo(Checksums.sha256(out));
        List<String> messages = new CopyOnWriteArrayList<>();
        RestoreResult restore = Restore.run(target(db), new RestoreSettings().from(out).targetDatabase(db.name() + "_copy").jobs(2)
                .progressInterval(java.time.Duration.ofMillis(10)), messages::add);
        assertThat(messages).anyMatch(m -> m.startsWith("Running pg_restore with 2 jobs"))
                .anyMatch(m -> m.matches("pg_restore: database .* is [0-9.]+ (KiB|MiB) \\(.*\\)"))
                .anyMatch(m -> m.startsWith("Row counts of 6 tables equal the backup's"));
        assertThat(restore.passed()).isTrue();
        assertThat(restore.database()).isEqualTo(db.name() + "_copy");
        for (String table : TABLES) {
            assertThat(fingerprint(target(db).withDatabase(restore.database()), table)).as(table).isEqualTo(fingerprint(target(db), table));
        }
        db.server().dropDatabase(restore.database());
    }

    @Test
    void aChangedBackupIsRefusedBeforeAnythingIsRestored(TestDatabase db) throws Exception {
        createSampleData(db);
        Path out = dir.resolve("app.dump");
        Backup.run(target(db), new BackupSettings().out(out), Progress.silent());
        byte[] bytes = Files.readAllBytes(out);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(out, bytes);

        assertThatThrownBy(() -> Restore.run(target(db), new RestoreSettings().from(out).targetDatabase(db.name() + "_x"), Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CHECK_FAILED))
                .hasMessageContaining("Refusing to restore").hasMessageContaining("SHA-256");
        assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname = '" + db.name() + "_x'")).isZero();
    }

    @Test
    void anExistingFileIsNeverOverwritten(TestDatabase db) throws Exception {
        Path out = dir.resolve("app.dump");
        Files.writeString(out, "precious");

        assertThatThrownBy(() -> Backup.run(target(db), new BackupSettings().out(out), Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("already exists");
        assertThat(Files.readString(out)).isEqualTo("precious");
    }

    @Test
    void restoreRefusesToReplaceAnExistingDatabaseWithoutReplace(TestDatabase db) {
        createSampleData(db);
        Path out = dir.resolve("app.dump");
        Backup.run(target(db), new BackupSettings().out(out), Progress.silent());

        assertThatThrownBy(() -> Restore.run(target(db), new RestoreSettings().from(out).targetDatabase(db.name()), Progress.silent()))
                .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining("already exists").hasMessageContaining("--replace");
    }

    @Test
    void replaceSwapsInAVerifiedCopyKeepsTheOldOneAndRefusesWhileSessionsAreConnected(TestDatabase db) throws Exception {
        createSampleData(db);
        Path out = dir.resolve("app.dump");
        Backup.run(target(db), new BackupSettings().out(out), Progress.silent());
        db.execute("DELETE FROM orders WHERE id > 100"); // the "corruption" the restore repairs

        try (Connection session = db.connect()) {
            assertThatThrownBy(() -> Restore.run(target(db), new RestoreSettings().from(out).replace(true), Progress.silent()))
                    .isInstanceOfSatisfying(RunbookException.class, e -> assertThat(e.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                    .hasMessageContaining("session(s) are connected").hasMessageContaining("--terminate-connections");
            assertThat(db.queryLong("SELECT count(*) FROM orders")).isEqualTo(100);

            RestoreResult result = Restore.run(target(db), new RestoreSettings().from(out).replace(true).terminateConnections(true),
                    Progress.silent());
            assertThat(session.isValid(2)).isFalse();
            assertThat(result.passed()).isTrue();
            assertThat(result.replaced()).isTrue();
            assertThat(result.database()).isEqualTo(db.name());
            assertThat(db.queryLong("SELECT count(*) FROM orders")).isEqualTo(5000);
            assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname LIKE '%restoring%' AND datname LIKE '" + db.name().substring(0, 20) + "%'")).isZero();
            try (Connection old = target(db).withDatabase(result.previousDatabaseKeptAs()).connect(); Statement s = old.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the replaced database is kept as it was").isEqualTo(100);
            }
            db.server().dropDatabase(result.previousDatabaseKeptAs());
        }
    }
}
