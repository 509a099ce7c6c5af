package io.migrationrunbook.run;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.migrate.PendingMigration;
import io.migrationrunbook.policy.ReleasePolicy;
import io.migrationrunbook.precheck.PrecheckResult;
import io.migrationrunbook.report.Approval;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.report.StepRecord;
import io.migrationrunbook.report.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** runbook run's migrationPrecheck step is the real precheck, and the release policy decides pause and approval. */
@ExtendWith(PostgresExtension.class)
class PlanRunnerPrecheckTest {

    @TempDir
    Path dir;

    private Path migrations() throws IOException {
        return Files.createDirectories(dir.resolve("migrations"));
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(migrations().resolve(name), sql);
    }

    private RunPlan plan(TestDatabase db) throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, """
                name: precheck test
                database:
                  url: %s
                  user: %s
                migrations:
                  locations: [filesystem:migrations]
                backup:
                  enabled: false
                verify:
                  assertions:
                    - "SELECT 1 WHERE false"
                """.formatted(db.jdbcUrl(), db.user()));
        return PlanLoader.load(file);
    }

    private RunReport run(TestDatabase db, Approver approver) throws IOException {
        ReleasePolicy policy = ReleasePolicy.defaults();
        return PlanRunner.builder(plan(db), dir, dir.resolve("out")).policy(policy).advisor(new PolicyReleaseAdvisor(policy))
                .approver(approver).build().run();
    }

    private static List<String> gates = new ArrayList<>();

    private static Approver approving() {
        return (gate, summary) -> {
            gates.add(gate + ": " + summary);
            return new Approval(gate, "tester", Instant.now(), "approved");
        };
    }

    @Test
    void aFailedPrecheckFailsTheStepWithItsResultAndChangesNothing(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        write("V2__wip.sql", "ALTER TABLE events ADD COLUMN payload text;");

        RunReport report = run(db, approving());

        assertThat(report.getStatus()).isEqualTo(RunReport.FAILED);
        StepRecord precheck = report.step("migrationPrecheck");
        assertThat(precheck.status()).isEqualTo(StepStatus.FAILED);
        assertThat(precheck.reason()).contains("descriptions").contains("V2__wip.sql");
        assertThat(precheck.details()).isInstanceOf(PrecheckResult.class);
        assertThat(report.step("flywayMigrate").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'events'")).isZero();
    }

    @Test
    void aMixedReleaseIsRefusedBeforeAnythingChanges(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, legacy text);");
        assertThat(run(db, approving()).getStatus()).isEqualTo(RunReport.SUCCEEDED);
        write("V2__drop_legacy_from_events.sql", "ALTER TABLE events DROP COLUMN legacy;");
        write("V3__add_note_to_events.sql", "ALTER TABLE events ADD COLUMN note text;");

        RunReport report = run(db, approving());

        assertThat(report.getStatus()).isEqualTo(RunReport.FAILED);
        assertThat(report.step("migrationPrecheck").status()).isEqualTo(StepStatus.FAILED);
        assertThat(report.step("migrationPrecheck").reason()).contains("releasePolicy").contains("refuses");
        assertThat(report.step("flywayMigrate").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'legacy'"))
                .isEqualTo(1);
    }

    @Test
    void breakingChangesWaitForTheApproverEvenWithoutAPlanGate(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, legacy text);");
        assertThat(run(db, Approver.refuseAll()).getStatus()).as("an additive release needs no approval").isEqualTo(RunReport.SUCCEEDED);
        write("V2__drop_legacy_from_events.sql", "ALTER TABLE events DROP COLUMN legacy;");

        RunReport refused = run(db, Approver.refuseAll());
        assertThat(refused.getStatus()).isEqualTo(RunReport.FAILED);
        assertThat(refused.step("migrationPrecheck").status()).isEqualTo(StepStatus.PASSED);
        assertThat(refused.step("migrationApproval").status()).isEqualTo(StepStatus.FAILED);
        assertThat(refused.step("migrationApproval").reason()).contains("approveBreaking");
        assertThat(refused.step("flywayMigrate").status()).isEqualTo(StepStatus.SKIPPED);

        gates.clear();
        RunReport approved = run(db, approving());
        assertThat(approved.getStatus()).isEqualTo(RunReport.SUCCEEDED);
        assertThat(gates).singleElement().asString().startsWith("approveBreaking").contains("breaking changes")
                .contains("V2 drop legacy from events");
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'legacy'"))
                .isZero();
    }

    @Test
    void theAdvisorPausesOnlyForWritePathChanges(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        assertThat(run(db, approving()).getStatus()).isEqualTo(RunReport.SUCCEEDED);
        DatabaseTarget target = new DatabaseTarget(db.jdbcUrl(), db.user(), null);
        PolicyReleaseAdvisor advisor = new PolicyReleaseAdvisor(ReleasePolicy.defaults());

        write("V2__add_source_to_events.sql", "ALTER TABLE events ADD COLUMN source text;");
        write("V3__index_events_by_source.sql", "CREATE INDEX CONCURRENTLY events_source_ix ON events (source);");
        write("V4__create_snapshots_table.sql", "CREATE TABLE snapshots (id bigserial PRIMARY KEY);");
        PauseAdvice additive = advisor.advise(target, pending("V2__add_source_to_events.sql", "V3__index_events_by_source.sql",
                "V4__create_snapshots_table.sql"));
        assertThat(additive.pause()).isFalse();
        assertThat(additive.needsApproval()).isFalse();
        assertThat(additive.why()).contains("pause window zero");

        // the demo's V5: a volatile default rewrites the table; a lint suppression does not change the classification
        write("V5__record_when_each_event_was_received.sql", "-- runbook:allow rewriting-add-column small table\n"
                + "ALTER TABLE events ADD COLUMN received_at timestamptz DEFAULT clock_timestamp();");
        PauseAdvice locking = advisor.advise(target, pending("V2__add_source_to_events.sql", "V5__record_when_each_event_was_received.sql"));
        assertThat(locking.pause()).isTrue();
        assertThat(locking.why()).contains("rewrites");

        db.execute("INSERT INTO events SELECT FROM generate_series(1, 100)", "ANALYZE events");
        write("V6__touch_every_event.sql", "UPDATE events SET id = id;");
        assertThatThrownBy(() -> new PolicyReleaseAdvisor(ReleasePolicy.defaults(), 10).advise(target, pending("V6__touch_every_event.sql")))
                .isInstanceOf(RunbookException.class).hasMessageContaining("backfill")
                .extracting(e -> ((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CHECK_FAILED);
    }

    private List<PendingMigration> pending(String... files) throws IOException {
        List<PendingMigration> pending = new ArrayList<>();
        for (String f : files) {
            pending.add(new PendingMigration(f.substring(1, f.indexOf("__")), f, f, "SQL", migrations().resolve(f).toString(), true));
        }
        return pending;
    }
}
