package io.migrationrunbook.run;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lag check runs after the migration, so lag settings it would refuse must stop runbook run before anything changes. */
@ExtendWith(PostgresExtension.class)
class PlanRunnerLagSettingsTest {

    @TempDir
    Path dir;

    private RunPlan plan(TestDatabase db, String lag) throws IOException {
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/V1__create_events.sql"), "CREATE TABLE events (id bigserial PRIMARY KEY);");
        Files.writeString(dir.resolve("consumers.yaml"), """
                kafka: {bootstrapServers: "localhost:1"}
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
                """.formatted(db.jdbcUrl(), db.user(), lag));
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
}
