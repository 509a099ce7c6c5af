package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class PrecheckCommandTest {

    @TempDir
    Path dir;

    private CliRun precheck(TestDatabase db, String... extra) {
        List<String> args = new ArrayList<>(List.of("precheck", "--db-url", db.jdbcUrl(), "--db-user", db.user(),
                "--locations", "filesystem:" + dir));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void passesWithAPlanAndFailsWithExitOneOnABadName(TestDatabase db) throws IOException {
        Files.writeString(dir.resolve("V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY);");
        Files.writeString(dir.resolve("V2__add_payload_to_events.sql"), "ALTER TABLE events ADD COLUMN payload text;");

        CliRun ok = precheck(db, "--json", "--backup-dir", dir.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        JsonNode json = ok.json();
        assertThat(json.get("status").asText()).isEqualTo("pass");
        assertThat(json.get("checks").findValuesAsText("id")).contains("naming", "blockingSessions", "ownership", "backupSpace");
        assertThat(json.get("plan").get("pending")).hasSize(2);
        assertThat(json.get("plan").get("consumersMustPause").asBoolean()).isFalse();

        CliRun human = precheck(db);
        assertThat(human.exitCode()).isZero();
        assertThat(human.out()).contains("PASS  naming").contains("Plan: 2 migration(s) will run").contains("V2  add payload to events");

        Files.writeString(dir.resolve("V3_fix.sql"), "SELECT 1;");
        CliRun bad = precheck(db);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.out()).contains("FAIL  naming").contains("V3_fix.sql").contains("fix: Rename them");
    }

    @Test
    void aMissingLocationIsAFailedCheck(TestDatabase db) {
        CliRun run = CliRun.of("precheck", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--locations",
                "filesystem:" + dir.resolve("nope"), "--json");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.json().get("checks").get(0).get("id").asText()).isEqualTo("migrationsPresent");
        assertThat(run.json().get("checks").get(0).get("status").asText()).isEqualTo("fail");
    }
}
