package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `runbook demo` end to end: embedded PostgreSQL, in-process Kafka, the demo service under load, the whole runbook. */
class DemoEndToEndTest {

    private static List<String> stepNames(JsonNode report) {
        List<String> names = new ArrayList<>();
        report.get("steps").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    @Test
    void theDemoRunsTheWholeRunbookUnderLoadAndLosesNothing(@TempDir Path out) throws Exception {
        CliRun run = CliRun.of("demo", "--out", out.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
        assertThat(run.json().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stepNames(report)).containsSubsequence("migrationPrecheck", "migrationApproval", "dbBackup", "pauseConsumers",
                "flywayMigrate", "verifySchema", "resumeConsumers", "smokeTestApi", "checkConsumerLag", "checkDbErrors");
        report.get("steps").forEach(s -> assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("PASSED"));
        JsonNode events = report.get("events");
        assertThat(events.get("produced").asLong()).isGreaterThan(100);
        assertThat(events.get("processed").asLong()).isEqualTo(events.get("produced").asLong());
        assertThat(events.get("duplicates").asLong()).isZero();
        assertThat(events.get("lost").asLong()).isZero();
        assertThat(report.get("pauseWindowMs").asLong()).isPositive();
        // the pause was decided by the classification: V5's volatile default rewrites processed_events (V2-V4 are additive)
        assertThat(report.get("facts").get("pauseDecision").asText()).contains("processed_events").contains("rewrites")
                .doesNotContain("transactions").doesNotContain("portfolio_snapshots");
        JsonNode precheck = report.get("steps").get(stepNames(report).indexOf("migrationPrecheck")).get("details");
        assertThat(precheck.get("status").asText()).isNotEqualTo("fail");
        assertThat(precheck.get("plan").get("pending")).hasSize(4);
        assertThat(report.get("approvals").get(0).get("approver").asText()).isEqualTo("demo-approver");
        JsonNode migrate = report.get("steps").get(stepNames(report).indexOf("flywayMigrate")).get("details");
        assertThat(migrate.get("finalVersion").asText()).isEqualTo("5");
        JsonNode backup = report.get("steps").get(stepNames(report).indexOf("dbBackup")).get("details");
        assertThat(Path.of(backup.get("file").asText())).exists();
        assertThat(backup.get("verified").asBoolean()).isTrue();

        Document html = Jsoup.parse(Files.readString(out.resolve("report.html")));
        assertThat(html.select("svg#timeline rect.step")).hasSizeGreaterThanOrEqualTo(9);
        assertThat(html.select("svg#timeline rect.pause-window")).hasSize(1);
        assertThat(html.select("#events").text()).contains("lost 0");
        assertThat(run.err()).contains("Report: ");
    }

    @Test
    void theFailurePathKeepsConsumersPausedTellsWhatToDoAndKeepsTheBackup(@TempDir Path out) throws Exception {
        CliRun run = CliRun.of("demo", "--out", out.toString(), "--fail-at", "migrate");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode report = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        JsonNode steps = report.get("steps");
        JsonNode migrate = steps.get(stepNames(report).indexOf("flywayMigrate"));
        assertThat(migrate.get("status").asText()).isEqualTo("FAILED");
        assertThat(migrate.get("reason").asText()).contains("V5").contains("42P01");
        assertThat(steps.get(stepNames(report).indexOf("resumeConsumers")).get("status").asText()).isEqualTo("SKIPPED");
        assertThat(report.get("pause").get("stillPaused").asBoolean()).isTrue();
        String nextActions = report.get("nextActions").toString();
        assertThat(nextActions).contains("STILL PAUSED").contains("runbook resume --state-dir").contains("runbook restore --from")
                .contains("rolled back").contains("fix V5 (V5__record_when_each_event_was_received.sql) itself");
        JsonNode backup = steps.get(stepNames(report).indexOf("dbBackup")).get("details");
        assertThat(Path.of(backup.get("file").asText())).exists();
        // after the operator's resume (the demo plays it), nothing produced during the run was lost or doubled
        assertThat(report.get("events").get("lost").asLong()).isZero();
        assertThat(report.get("events").get("duplicates").asLong()).isZero();
        assertThat(Jsoup.parse(Files.readString(out.resolve("report.html"))).select("#next-actions li")).hasSizeGreaterThanOrEqualTo(3);
    }
}
