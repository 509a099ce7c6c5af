package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class VerifyCommandTest {

    private static final String SCHEMA = "CREATE TABLE processed_events (id int PRIMARY KEY, event_id text NOT NULL, correlation_id text);"
            + "CREATE INDEX ix_processed_events_corr ON processed_events (correlation_id);"
            + "INSERT INTO processed_events VALUES (1, 'a', 'c1'), (2, 'b', NULL);";

    @Test
    void snapshotThenVerifyOnTheUnchangedDatabasePasses(TestDatabase db, @TempDir Path dir) {
        db.execute(SCHEMA);
        Path snap = dir.resolve("before.json");
        assertThat(run(db, "snapshot", "--out", snap.toString(), "--with-row-counts").exitCode()).isZero();

        CliRun verify = run(db, "verify", "--snapshot", snap.toString(), "--row-counts", snap.toString(), "--json");

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        JsonNode result = verify.json();
        assertThat(result.get("passed").asBoolean()).isTrue();
        assertThat(result.get("summary").get("failed").asInt()).isZero();
        assertThat(result.has("reason")).isFalse();
        assertThat(result.get("checks").get(0).get("status").asText()).isEqualTo("PASSED");
        assertThat(result.get("checks").get(0).get("name").asText()).isEqualTo("table public.processed_events matches the snapshot");
    }

    @Test
    void aFailedCheckExitsWith1AndListsWhatDiffers(TestDatabase db, @TempDir Path dir) throws Exception {
        db.execute(SCHEMA);
        Path snap = dir.resolve("before.json");
        run(db, "snapshot", "--out", snap.toString(), "--with-row-counts");
        db.execute("ALTER TABLE processed_events DROP COLUMN correlation_id", "DELETE FROM processed_events WHERE id = 2");
        Path expect = Files.writeString(dir.resolve("expect.yaml"), """
                tables:
                  processed_events:
                    columns: [event_id, correlation_id]
                    indexes: [ix_processed_events_corr]
                """);

        CliRun human = run(db, "verify", "--expect", expect.toString(), "--snapshot", snap.toString(), "--row-counts", snap.toString(),
                "--assert", "SELECT id FROM processed_events WHERE event_id = 'a'");

        assertThat(human.exitCode()).isEqualTo(1);
        assertThat(human.out())
                .contains("PASS column processed_events.event_id exists")
                .contains("FAIL column processed_events.correlation_id exists: column correlation_id is missing from public.processed_events")
                .contains("FAIL table public.processed_events matches the snapshot: 2 differences")
                .contains("- column public.processed_events.correlation_id (text) is missing")
                .contains("FAIL table public.processed_events kept its rows (baseline 2): lost 1 rows: 2 before, 1 now")
                .contains("FAIL integrity: SELECT id FROM processed_events WHERE event_id = 'a': 1 offending row")
                .contains("| {id=1}")
                .contains("Verification FAILED");

        CliRun json = run(db, "verify", "--snapshot", snap.toString(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.json().get("checks").get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(json.json().get("checks").get(0).get("differences").size()).isEqualTo(2);
        assertThat(json.json().get("drift").get(0).get("kind").asText()).isEqualTo("COLUMN_DROPPED");
        assertThat(json.json().get("reason").asText())
                .startsWith("1 of 4 checks failed: table public.processed_events matches the snapshot: 2 differences");
        assertThat(io.migrationrunbook.core.Json.mapper().readValue(json.out(), io.migrationrunbook.verify.VerificationReport.class)
                .passed()).isFalse();
    }

    @Test
    void badYamlIsAUsageErrorNamingTheKey(TestDatabase db, @TempDir Path dir) throws Exception {
        Path expect = Files.writeString(dir.resolve("expect.yaml"), "tables:\n  processed_events:\n    indexs: [ix]\n");

        CliRun run = run(db, "verify", "--expect", expect.toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown key 'indexs'").contains("under 'tables.processed_events'").contains("line 3");
        assertThat(run.json().get("error").get("kind").asText()).isEqualTo("CONFIGURATION");
    }

    @Test
    void nothingToVerifyOrAMissingFileIsAUsageError(TestDatabase db, @TempDir Path dir) {
        assertThat(run(db, "verify").err()).contains("Nothing to verify");
        assertThat(run(db, "verify").exitCode()).isEqualTo(2);
        CliRun missing = run(db, "verify", "--snapshot", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
    }

    @Test
    void helpListsEveryVerifyOption() {
        CliRun help = CliRun.of("verify", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--expect", "--snapshot", "--ignore-extra", "--flyway-version", "--flyway-table",
                "--assert", "--assert-timeout", "--row-counts", "--schemas");
        assertThat(CliRun.of("snapshot", "--help").out()).contains("--with-row-counts", "--out", "--schemas");
    }

    @Test
    void flywayVersionWithoutHistoryFails(TestDatabase db) {
        CliRun run = run(db, "verify", "--flyway-version", "5");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL Flyway schema version is 5: schema history table flyway_schema_history does not exist");
    }

    private static CliRun run(TestDatabase db, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db-url";
        all[args.length + 1] = db.jdbcUrl();
        all[args.length + 2] = "--db-user";
        all[args.length + 3] = db.user();
        return CliRun.of(all);
    }
}
