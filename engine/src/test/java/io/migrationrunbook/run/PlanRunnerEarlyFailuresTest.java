package io.migrationrunbook.run;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.report.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures before anything changes: refused lag settings or backup format, and a pause that never reached a controller. */
@ExtendWith(PostgresExtension.class)
class PlanRunnerEarlyFailuresTest {

    @TempDir
    Path dir;

    private RunPlan plan(TestDatabase db, String lag) throws IOException {
        return plan(db, lag, "kafka: {bootstrapServers: \"localhost:1\"}");
    }

    private RunPlan plan(TestDatabase db, String extra, String kafka) throws IOException {
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY);");
        Files.writeString(dir.resolve("consumers.yaml"), kafka + """

                controllers:
                  - {name: by-hand, type: manual, groups: [persistence-service]}
                """);
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, """
                name: lag settings
                database: {url: "%s", user: %s}
                migrations: {locations: [filesystem:migrations]}
                consumers: {config: consumers.yaml, pause: always}
                verify: {assertions: ["SELECT 1 WHERE false"]}
                %s
                """.formatted(db.jdbcUrl(), db.user(), extra));
        return PlanLoader.load(file);
    }

    @Test
    void lagSettingsTheLagCheckWouldRefuseStopTheRunBeforeAnythingChanges(TestDatabase db) throws IOException {
        for (String lag : new String[] {"lag: {maxLag: -1}", "lag: {interval: 0s}", "lag: {deadline: 0ms}"}) {
            RunPlan plan = plan(db, lag);
            assertThatThrownBy(() -> PlanRunner.builder(plan, dir, dir.resolve("out")).build().run())
                    .as(lag)
                    .isInstanceOf(RunbookException.class)
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                    .hasMessageContaining("lag check");
            assertThat(dir.resolve("out/backups")).as(lag + ": no backup").doesNotExist();
            assertThat(dir.resolve("out/consumers")).as(lag + ": no pause state").doesNotExist();
            assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'events'")).as(lag + ": no migration").isZero();
        }
    }

    @Test
    void aPauseThatFailedBeforeAskingAnyControllerIsNotReportedAsStillPaused(TestDatabase db) throws IOException {
        // nothing listens on port 1: the pause fails connecting to Kafka, before its state is written or a controller asked
        RunPlan plan = plan(db, "backup: {enabled: false}", "kafka: {bootstrapServers: \"localhost:1\", requestTimeout: 1s}");

        RunReport report = PlanRunner.builder(plan, dir, dir.resolve("out")).build().run();

        assertThat(report.getStatus()).isEqualTo(RunReport.FAILED);
        assertThat(report.step("pauseConsumers").status()).isEqualTo(StepStatus.FAILED);
        assertThat(report.getNextActions()).noneMatch(a -> a.contains("STILL PAUSED"))
                .anyMatch(a -> a.contains("consumers were not paused"));
        assertThat(report.getPause()).isNull();
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'events'")).isZero();
    }

    @Test
    void aMistypedBackupFormatStopsTheRunInsteadOfBecomingTheDefault(TestDatabase db) throws IOException {
        RunPlan plan = plan(db, "backup: {format: dir}");
        assertThatThrownBy(() -> PlanRunner.builder(plan, dir, dir.resolve("out")).build().run())
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("backup.format must be custom or directory, got 'dir'");
        assertThat(dir.resolve("out/backups")).doesNotExist();
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'events'")).isZero();
    }

    @Test
    void errorRateSettingsThatCouldNeverFailOrAlwaysFailAreRefusedBeforeAnythingChanges(TestDatabase db) throws IOException {
        for (String errors : new String[] {"dbErrors: {factor: 0.5}", "dbErrors: {minRate: -1}"}) {
            RunPlan plan = plan(db, errors);
            assertThatThrownBy(() -> PlanRunner.builder(plan, dir, dir.resolve("out")).build().run())
                    .as(errors).isInstanceOf(RunbookException.class).hasMessageContaining("dbErrors.");
        }
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'events'")).isZero();
    }
}
