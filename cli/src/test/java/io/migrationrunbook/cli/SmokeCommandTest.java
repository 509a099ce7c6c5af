package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class SmokeCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsTheChecksFileAgainstTheDemoServiceAndExitsByTheResult(TestDatabase db, KafkaBroker kafka) throws Exception {
        Path checks = dir.resolve("checks.yaml");
        Files.writeString(checks, """
                checks:
                  - name: health
                    path: /health
                    echoCorrelationId: true
                    expectJson: [{pointer: /status, equals: UP}]
                  - name: test transaction
                    type: transaction
                    path: /transactions
                    body: {transactionId: "CLI-${uuid}", portfolioId: CLI-P, securityId: AAPL, quantity: 2, price: 5}
                    expectStatus: 202
                    poll: {path: "/transactions/CLI-${uuid}", deadline: 20s, every: 100ms}
                """);
        Path failing = dir.resolve("failing.json");
        Files.writeString(failing, "{\"checks\":[{\"name\":\"no such page\",\"path\":\"/nope\",\"expectStatus\":200}]}");
        Path token = dir.resolve("token");
        Files.writeString(token, "cli-secret-token\n");

        try (DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("cli-smoke").groupId("cli-smoke-persistence"))) {
            CliRun passed = CliRun.of("smoke", "--checks", checks.toString(), "--base-url", service.baseUrl(),
                    "--correlation-prefix", "CLI:", "--token-file", token.toString(), "--json");
            assertThat(passed.exitCode()).as(passed.err()).isZero();
            JsonNode json = passed.json();
            assertThat(json.get("passed").asBoolean()).isTrue();
            assertThat(json.at("/checks/0/correlationId").asText()).startsWith("CLI:");
            assertThat(json.at("/checks/1/requests/1/step").asText()).isEqualTo("poll");
            assertThat(passed.out() + passed.err()).doesNotContain("cli-secret-token");
            assertThat(passed.err()).contains("smoke: test transaction passed");

            CliRun failed = CliRun.of("smoke", "--checks", failing.toString(), "--base-url", service.baseUrl());
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.out()).contains("FAIL no such page").contains("status 404, expected 200").contains("X-Correlation-ID: TEST:");
        }

        CliRun missing = CliRun.of("smoke", "--checks", dir.resolve("absent.yaml").toString(), "--base-url", "http://localhost:1", "--json");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.json().at("/error/message").asText()).contains("does not exist");
        CliRun noBase = CliRun.of("smoke", "--checks", checks.toString());
        assertThat(noBase.exitCode()).isEqualTo(2);
        assertThat(noBase.err()).contains("--base-url");
    }
}
