package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class SnapshotCommandTest {

    @Test
    void writesASortedSnapshotAndReportsWhatItHolds(TestDatabase db, @TempDir Path dir) throws Exception {
        db.execute("CREATE TABLE b_events (id int PRIMARY KEY, note text DEFAULT 'x')",
                "CREATE TABLE a_accounts (id int PRIMARY KEY)",
                "INSERT INTO b_events VALUES (1), (2)",
                "ALTER TABLE b_events ADD CONSTRAINT ck_id CHECK (id > 0) NOT VALID");
        Path out = dir.resolve("snap.json");

        CliRun run = CliRun.of("snapshot", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--out", out.toString(),
                "--with-row-counts", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = run.json();
        assertThat(result.get("tables").asInt()).isEqualTo(2);
        assertThat(result.get("totalRows").asLong()).isEqualTo(2);
        assertThat(result.get("notValidatedConstraints").get(0).asText()).isEqualTo("public.b_events.ck_id");
        JsonNode file = Json.mapper().readTree(Files.readString(out));
        assertThat(file.get("tables").get(0).get("name").asText()).isEqualTo("a_accounts");
        assertThat(file.get("rowCounts").get("public.b_events").asLong()).isEqualTo(2);
        assertThat(run.err()).contains("Snapshot of " + db.name());
    }

    @Test
    void aMissingSchemaIsReportedAndIgnoreExtraAcceptsNewObjects(TestDatabase db, @TempDir Path dir) {
        db.execute("CREATE TABLE t (id int)");
        Path out = dir.resolve("snap.json");
        CliRun run = CliRun.of("snapshot", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--out", out.toString(),
                "--schemas", "public,publik");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("Warning: schema publik does not exist");

        db.execute("CREATE TABLE added (id int)", "ALTER TABLE t ADD COLUMN note text");
        CliRun strict = CliRun.of("verify", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--snapshot", out.toString());
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.out()).contains("- table public.added is extra (1 columns)").contains("- column public.t.note (text) is extra");
        CliRun lenient = CliRun.of("verify", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--snapshot", out.toString(),
                "--ignore-extra");
        assertThat(lenient.exitCode()).as(lenient.out()).isZero();
    }

    @Test
    void outIsRequired(TestDatabase db) {
        CliRun run = CliRun.of("snapshot", "--db-url", db.jdbcUrl(), "--db-user", db.user());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--out");
    }
}
