package io.migrationrunbook.fleet;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.migrate.MigrationSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class FleetMigrationTest {

    @TempDir
    Path dir;

    @Test
    void migratesEveryDatabaseInParallelAndIsolatesAFailure(PostgresServer server) throws Exception {
        Files.writeString(dir.resolve("V1__create_accounts.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text);");
        // fails on the one tenant whose database is marked (a stand-in for a tenant with drifted data)
        Files.writeString(dir.resolve("V2__create_audit.sql"), "CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz);\n"
                + "DO $$ BEGIN IF current_setting('app.drifted', true) = 'yes' THEN "
                + "RAISE EXCEPTION 'audit cannot be created on a drifted tenant'; END IF; END $$;");
        List<String> names = new ArrayList<>();
        FleetMigration fleet = new FleetMigration(MigrationSettings.create().locations("filesystem:" + dir)).parallelism(3);
        for (int i = 0; i < 5; i++) {
            String database = server.createDatabase("fleet");
            names.add(database);
            fleet.add("tenant-" + i, new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password())));
        }
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + names.get(2) + " SET app.drifted = 'yes'");
        }
        List<String> progress = new ArrayList<>();

        FleetResult result = fleet.migrate(line -> {
            synchronized (progress) {
                progress.add(line);
            }
        });

        assertThat(result.databases()).isEqualTo(5);
        assertThat(result.succeeded()).isEqualTo(4);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.allSucceeded()).isFalse();
        assertThat(result.results()).extracting(MemberResult::name).containsExactly("tenant-0", "tenant-1", "tenant-2", "tenant-3", "tenant-4");
        MemberResult failed = result.failures().get(0);
        assertThat(failed.name()).isEqualTo("tenant-2");
        assertThat(failed.error()).contains("drifted tenant");
        assertThat(failed.migration().failure().rolledBack()).isTrue();
        assertThat(failed.migration().finalVersion()).isEqualTo("1"); // V2 rolled back, V1 stays
        for (int i : List.of(0, 1, 3, 4)) {
            assertThat(result.results().get(i).migration().finalVersion()).isEqualTo("2");
            assertThat(version(server, names.get(i))).isEqualTo("2");
        }
        assertThat(version(server, names.get(2))).isEqualTo("1");
        assertThat(progress).anyMatch(l -> l.contains("4 of 5 database(s) migrated, 1 failed"));
    }

    @Test
    void anUnreachableDatabaseIsOneFailedResultNotAnAbortedFleet(PostgresServer server) throws Exception {
        Files.writeString(dir.resolve("V1__t.sql"), "CREATE TABLE t (id int);");
        String database = server.createDatabase("fleet");
        FleetResult result = new FleetMigration(MigrationSettings.create().locations("filesystem:" + dir)).parallelism(2)
                .add("good", new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password())))
                .add("gone", new DatabaseTarget(server.jdbcUrl("no_such_database_here"), server.user(), Secret.of(server.password())))
                .migrate(Progress.silent());
        assertThat(result.results().get(0).succeeded()).isTrue();
        assertThat(result.results().get(1).succeeded()).isFalse();
        assertThat(result.results().get(1).error()).contains("no_such_database_here");
    }

    @Test
    void badFleetSettingsAreRefusedBeforeAnyDatabaseIsTouched() {
        DatabaseTarget target = new DatabaseTarget("jdbc:postgresql://localhost:1/x", "u", Secret.of(null));
        MigrationSettings settings = MigrationSettings.create().locations("filesystem:" + dir);
        assertThatThrownBy(() -> new FleetMigration(settings).migrate(Progress.silent()))
                .isInstanceOf(RunbookException.class).hasMessageContaining("no database");
        assertThatThrownBy(() -> new FleetMigration(settings).parallelism(0).add("a", target).migrate(Progress.silent()))
                .isInstanceOf(RunbookException.class).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> new FleetMigration(settings).add("a", target).add("a", target).migrate(Progress.silent()))
                .isInstanceOf(RunbookException.class).hasMessageContaining("twice");
    }

    private static String version(PostgresServer server, String database) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(version::int)::text FROM flyway_schema_history WHERE success")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
