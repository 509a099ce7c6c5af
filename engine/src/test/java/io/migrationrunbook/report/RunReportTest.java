package io.migrationrunbook.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunReportTest {

    /** A clock that moves forward by a fixed step each time it is read, so durations are deterministic. */
    static Clock steppingClock(Instant start, Duration step) {
        return new Clock() {
            private Instant now = start;

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public synchronized Instant instant() {
                Instant current = now;
                now = now.plus(step);
                return current;
            }
        };
    }

    private static Schema schema() throws Exception {
        try (InputStream in = RunReport.class.getResourceAsStream("report.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private static RunReport sampleRun(Path dir, boolean failMigration) {
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        RunReport report = new RunReport("run-1", "Release 42 on prod", t0);
        RunRecorder recorder = new RunRecorder(report, dir, Progress.silent(), steppingClock(t0, Duration.ofMillis(250)));
        recorder.step("migrationPrecheck", () -> Map.of("pending", 2));
        recorder.step("dbBackup", () -> Map.of("file", "b.dump", "sha256", "ab12", "sizeBytes", 1024, "verified", true));
        report.pauseRequested(recorder.now());
        recorder.step("pauseConsumers", () -> Map.of("groups", List.of("persistence-service")));
        try {
            recorder.step("flywayMigrate", () -> {
                if (failMigration) {
                    throw RunbookException.checkFailed("V3__broken.sql failed: SQLSTATE 42P01");
                }
                return Map.of("applied", List.of(Map.of("version", "2", "durationMs", 40), Map.of("version", "3", "durationMs", 80)));
            });
            recorder.step("verifySchema", () -> Map.of("checks", 3), r -> true, r -> "");
            report.resumeVerified(recorder.now());
            recorder.step("resumeConsumers", () -> Map.of("resumed", true));
        } catch (RunbookException e) {
            recorder.skip("verifySchema", "the migration failed");
            report.addNextAction("Consumers are still paused: run `runbook resume --state-dir " + dir + "` once the schema is fixed.");
        }
        report.addApproval(new Approval("plan", "alice", t0.plusSeconds(1), "approved"));
        report.addLagSample(new RunReport.LagSample(t0.plusSeconds(5), 120));
        report.addLagSample(new RunReport.LagSample(t0.plusSeconds(6), 40));
        report.addLagSample(new RunReport.LagSample(t0.plusSeconds(7), 0));
        report.setEvents(Map.of("produced", 10, "processed", 10, "duplicates", 0, "lost", 0));
        return recorder.finish();
    }

    @Test
    void aSuccessfulRunIsSucceededWithThePauseWindowFromPauseRequestToResumeVerified(@TempDir Path dir) throws Exception {
        RunReport report = sampleRun(dir, false);
        assertThat(report.getStatus()).isEqualTo(RunReport.SUCCEEDED);
        assertThat(report.getSteps()).extracting(StepRecord::name)
                .containsExactly("migrationPrecheck", "dbBackup", "pauseConsumers", "flywayMigrate", "verifySchema", "resumeConsumers");
        // pause requested at tick 4, resume verified after pause, migrate and verify (each two ticks): 7 ticks of 250 ms
        assertThat(report.getPauseWindowMs()).isEqualTo(7 * 250);
        assertThat(report.getSteps()).allSatisfy(s -> assertThat(s.durationMs()).isEqualTo(250));

        JsonNode json = Json.mapper().readTree(Files.readString(dir.resolve("report.json")));
        List<Error> errors = schema().validate(json);
        assertThat(errors).isEmpty();
        assertThat(json.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(json.get("events").get("lost").asInt()).isZero();
        assertThat(json.get("steps").get(1).get("details").get("sha256").asText()).isEqualTo("ab12");
    }

    @Test
    void aFailedRunSaysWhatFailedAndWhatToDoAndStillValidates(@TempDir Path dir) throws Exception {
        RunReport report = sampleRun(dir, true);
        assertThat(report.getStatus()).isEqualTo(RunReport.FAILED);
        assertThat(report.step("flywayMigrate").status()).isEqualTo(StepStatus.FAILED);
        assertThat(report.step("flywayMigrate").reason()).contains("SQLSTATE 42P01");
        assertThat(report.step("verifySchema").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(report.getPause().stillPaused()).isTrue();
        assertThat(report.getNextActions()).singleElement().asString().contains("runbook resume");

        JsonNode json = Json.mapper().readTree(Files.readString(dir.resolve("report.json")));
        assertThat(schema().validate(json)).isEmpty();
    }

    @Test
    void theSchemaRejectsAReportWithoutStatusOrWithAnUnexplainedSkip() throws Exception {
        JsonNode bad = Json.mapper().readTree("""
                {"runId":"r","title":"t","startedAt":"2026-01-01T00:00:00Z","pauseWindowMs":0,"approvals":[],"nextActions":[],
                 "steps":[{"name":"dbBackup","status":"SKIPPED","startedAt":"2026-01-01T00:00:00Z","durationMs":0}]}""");
        List<Error> errors = schema().validate(bad);
        assertThat(errors).extracting(Error::getMessage).anySatisfy(m -> assertThat(m).contains("status"))
                .anySatisfy(m -> assertThat(m).contains("reason"));
    }

    @Test
    void theHtmlIsSelfContainedAndHoldsTheTimelineWithThePauseWindow(@TempDir Path dir) throws Exception {
        sampleRun(dir, true);
        String html = Files.readString(dir.resolve("report.html"));
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("svg#timeline rect.step")).hasSize(5);
        assertThat(doc.select("svg#timeline rect.step.failed")).hasSize(1);
        assertThat(doc.select("svg#timeline rect.pause-window")).hasSize(1);
        assertThat(doc.select("svg#lag-chart polyline.lag").attr("points").split(" ")).hasSize(3);
        assertThat(doc.select("#status").text()).isEqualTo("FAILED");
        assertThat(doc.select("#next-actions li").text()).contains("runbook resume");
        assertThat(doc.select("#approvals td").eachText()).contains("alice");
        assertThat(doc.select("#details-dbBackup").text()).contains("ab12");
        // no external assets: nothing is loaded from anywhere
        assertThat(doc.select("script[src], link[href], img[src]")).isEmpty();
        assertThat(html).doesNotContain("http://", "https://");
    }

    @Test
    void aPauseTakenOverFromAnEarlierRunCountsFromItsPauseAndIsDrawnFromTheRunsStart(@TempDir Path dir) throws Exception {
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        RunReport report = new RunReport("run-2", "forward fix", t0);
        RunRecorder recorder = new RunRecorder(report, dir, Progress.silent(), steppingClock(t0, Duration.ofMillis(250)));
        recorder.step("migrationPrecheck", () -> Map.of("pending", 1));
        report.pauseRequested(t0.minusSeconds(600)); // the earlier run's pause, taken over
        recorder.step("pauseConsumers", () -> Map.of("outcome", "ADOPTED"));
        recorder.step("flywayMigrate", () -> Map.of("applied", 1));
        report.resumeVerified(recorder.now());
        recorder.step("resumeConsumers", () -> Map.of("resumed", true));
        recorder.finish();

        assertThat(report.getPauseWindowMs()).isGreaterThan(600_000);
        assertThat(schema().validate(Json.mapper().readTree(Files.readString(dir.resolve("report.json"))))).isEmpty();
        Document doc = Jsoup.parse(Files.readString(dir.resolve("report.html")));
        org.jsoup.nodes.Element window = doc.selectFirst("svg#timeline rect.pause-window");
        org.jsoup.nodes.Element firstStep = doc.selectFirst("svg#timeline rect.step");
        assertThat(Double.parseDouble(window.attr("x"))).isEqualTo(Double.parseDouble(firstStep.attr("x")));
        assertThat(Double.parseDouble(window.attr("width"))).isPositive().isLessThanOrEqualTo(900 - 170);
        assertThat(window.select("title").text()).contains("before this run").contains(t0.minusSeconds(600).toString());
    }

    @Test
    void htmlEscapesWhatStepsReport(@TempDir Path dir) {
        Instant t0 = Instant.now();
        RunReport report = new RunReport("r", "<script>alert(1)</script>", t0);
        RunRecorder recorder = new RunRecorder(report, dir, Progress.silent(), Clock.systemUTC());
        recorder.skip("smokeTestApi", "<b>no api</b>");
        recorder.finish();
        String html = HtmlReport.render(report);
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;").contains("&lt;b&gt;no api");
    }

    @Test
    void aCheckThatDoesNotPassFailsTheStepAndStopsTheRun(@TempDir Path dir) {
        RunReport report = new RunReport("r", "t", Instant.now());
        RunRecorder recorder = new RunRecorder(report, dir, Progress.silent(), Clock.systemUTC());
        assertThatThrownBy(() -> recorder.step("verifySchema", () -> Map.of("failed", 2), r -> false, r -> "2 checks failed"))
                .isInstanceOf(RunbookException.class).hasMessageContaining("2 checks failed");
        assertThat(report.step("verifySchema").status()).isEqualTo(StepStatus.FAILED);
        assertThat(report.step("verifySchema").details()).isEqualTo(Map.of("failed", 2));
    }
}
