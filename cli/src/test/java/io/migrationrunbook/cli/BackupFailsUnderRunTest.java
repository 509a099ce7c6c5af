package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault: pg_dump fails in the middle of `runbook run`'s backup (the plan's role may not read one table, so pg_dump
 * stops with "permission denied" after it started writing). The run fails at dbBackup naming the table, its SQLSTATE and
 * the grant to make (not only pg_dump's "could not import the requested snapshot", see Backup.rowCountFailed), no partial
 * file is left, the consumers were never asked to pause (no controller call, no pause state) and the schema is
 * unchanged. Killed pg_dump and a full disk on the backup itself: BackupSafetyTest, BackupDiskFullTest.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class BackupFailsUnderRunTest {

    @Test
    void aFailingBackupStopsTheRunBeforeAnyConsumerIsPausedAndLeavesNoPartialFile(TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String role = "limited_" + db.name();
        db.execute("CREATE TABLE payroll (id bigint PRIMARY KEY, salary numeric)",
                "INSERT INTO payroll SELECT g, g FROM generate_series(1, 1000) g",
                "CREATE ROLE " + role + " WITH LOGIN PASSWORD 'x'",
                "GRANT CREATE, USAGE ON SCHEMA public TO " + role);
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/V1__create_accounts_table.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY);");
        try (SecretsAndBadPlansTest.FakeServices ops = new SecretsAndBadPlansTest.FakeServices()) {
            Files.writeString(dir.resolve("consumers.yaml"), """
                    kafka: {bootstrapServers: %s, requestTimeout: 5s}
                    controllers:
                      - name: ingestion
                        type: http
                        groups: [some-group]
                        pause:  {method: PUT, url: "%s/hooks/pause", body: {mode: paused}}
                        resume: {method: PUT, url: "%s/hooks/resume", body: {mode: normal}}
                    """.formatted(kafka.bootstrapServers(), ops.baseUrl(), ops.baseUrl()));
            Files.writeString(dir.resolve("plan.yaml"), """
                    name: "backup fails"
                    database: {url: "%s", user: %s}
                    migrations: {locations: [filesystem:migrations]}
                    backup: {directory: %s}
                    consumers: {config: consumers.yaml, pause: always, stateDir: %s}
                    verify: {assertions: ["SELECT id FROM accounts WHERE id < 0"]}
                    """.formatted(db.jdbcUrl(), role, dir.resolve("backups"), dir.resolve("state")));

            CliRun run = CliRun.of("run", "--plan", dir.resolve("plan.yaml").toString(), "--out", dir.resolve("out").toString(),
                    "--approve-as", "t", "--json");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            JsonNode report = Json.mapper().readTree(Files.readString(dir.resolve("out/report.json")));
            assertThat(report.get("status").asText()).isEqualTo("FAILED");
            JsonNode backup = step(report, "dbBackup");
            assertThat(backup.get("status").asText()).as(report.get("steps").toString()).isEqualTo("FAILED");
            // the real cause, from the backup's row-count session, not only pg_dump's "could not import the requested snapshot"
            assertThat(backup.get("reason").asText()).contains("pg_dump").contains("partial backup was removed")
                    .contains("public.payroll").contains("SQLSTATE 42501").contains("grant SELECT on every table");
            assertThat(step(report, "pauseConsumers").get("status").asText()).isNotEqualTo("PASSED");
            assertThat(step(report, "flywayMigrate").get("status").asText()).isEqualTo("SKIPPED");
            assertThat(ops.webhookCalls).as("no controller was called").isEmpty();
            assertThat(dir.resolve("state")).as("no pause state").doesNotExist();
            try (Stream<Path> files = Files.exists(dir.resolve("backups")) ? Files.list(dir.resolve("backups")) : Stream.empty()) {
                assertThat(files.toList()).as("no partial backup file").isEmpty();
            }
            assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'")).as("schema unchanged").isZero();
        }
    }

    private static JsonNode step(JsonNode report, String name) {
        for (JsonNode step : report.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + report.get("steps"));
    }
}
