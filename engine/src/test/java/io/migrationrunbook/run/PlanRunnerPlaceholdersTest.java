package io.migrationrunbook.run;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.policy.ReleasePolicy;
import io.migrationrunbook.precheck.PrecheckResult;
import io.migrationrunbook.report.Approval;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.report.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code migrations.placeholders} in a plan reaches precheck, the advisor's classification and migrate alike. */
@ExtendWith(PostgresExtension.class)
class PlanRunnerPlaceholdersTest {

    @TempDir
    Path dir;

    private RunReport run(TestDatabase db, String placeholders) throws IOException {
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__create_app_accounts.sql"),
                "CREATE SCHEMA IF NOT EXISTS ${schema};\nCREATE TABLE ${schema}.accounts (id bigserial PRIMARY KEY);\n");
        Files.writeString(migrations.resolve("V2__add_note_to_accounts.sql"), "ALTER TABLE ${schema}.accounts ADD COLUMN ${column} text;\n");
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, """
                name: placeholders
                database: {url: %s, user: %s}
                migrations:
                  locations: [filesystem:migrations]
                  placeholders: %s
                backup: {enabled: false}
                verify:
                  assertions: ["SELECT 1 WHERE false"]
                """.formatted(db.jdbcUrl(), db.user(), placeholders));
        ReleasePolicy policy = ReleasePolicy.defaults();
        return PlanRunner.builder(PlanLoader.load(file), dir, dir.resolve("out")).policy(policy).advisor(new PolicyReleaseAdvisor(policy))
                .approver((gate, summary) -> new Approval(gate, "tester", Instant.now(), "ok")).build().run();
    }

    @Test
    void theValuesReachEveryStep(TestDatabase db) throws IOException {
        RunReport report = run(db, "{schema: app, column: note, unused_limit: 10}"); // a YAML number is a string value
        assertThat(report.getStatus()).as(String.valueOf(report.step("migrationPrecheck").reason())).isEqualTo(RunReport.SUCCEEDED);
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'app' AND table_name = 'accounts' "
                + "AND column_name = 'note'")).isEqualTo(1);
    }

    @Test
    void aMissingValueFailsThePrecheckBeforeAnythingChanges(TestDatabase db) throws IOException {
        RunReport report = run(db, "{schema: app}");
        assertThat(report.getStatus()).isEqualTo(RunReport.FAILED);
        assertThat(report.step("migrationPrecheck").status()).isEqualTo(StepStatus.FAILED);
        assertThat(report.step("migrationPrecheck").reason()).contains("placeholders").contains("${column}");
        assertThat(((PrecheckResult) report.step("migrationPrecheck").details()).check("placeholders").fix())
                .contains("--placeholder column=VALUE");
        assertThat(report.step("flywayMigrate").status()).isEqualTo(StepStatus.SKIPPED);
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();
    }

    @Test
    void theDryRunAdvisedAfterALostConnectionCarriesThePlaceholders() {
        String command = PlanRunner.dryRunCommand(new io.migrationrunbook.db.DatabaseTarget("jdbc:postgresql://db:5432/app", "migrator", null),
                io.migrationrunbook.migrate.MigrationSettings.create().locations("filesystem:/srv/db").placeholder("schema", "app")
                        .placeholder("note", "it's here"));
        assertThat(command).isEqualTo("runbook migrate --dry-run --db-url jdbc:postgresql://db:5432/app --db-user migrator "
                + "--locations filesystem:/srv/db --placeholder schema=app --placeholder 'note=it'\\''s here'");
    }

    @Test
    void theAdvisedDryRunKeepsAUrlWithParametersOneShellWord() {
        // unquoted, a shell runs "runbook ... ?sslmode=require" in the background and then "ssl=true" as a command
        String command = PlanRunner.dryRunCommand(new io.migrationrunbook.db.DatabaseTarget("jdbc:postgresql://db:5432/app?sslmode=require&ssl=true",
                "migrator", null), io.migrationrunbook.migrate.MigrationSettings.create().locations("filesystem:/srv/db migrations"));
        assertThat(command).isEqualTo("runbook migrate --dry-run --db-url 'jdbc:postgresql://db:5432/app?sslmode=require&ssl=true' "
                + "--db-user migrator --locations 'filesystem:/srv/db migrations'");
        assertThat(PlanRunner.shellWord("")).isEqualTo("''");
    }

    @Test
    void aPlaceholderNamedLikeACredentialIsMaskedInTheAdvisedDryRun() {
        String command = PlanRunner.dryRunCommand(new io.migrationrunbook.db.DatabaseTarget("jdbc:postgresql://db:5432/app", "migrator", null),
                io.migrationrunbook.migrate.MigrationSettings.create().locations("filesystem:db").placeholder("schema", "app")
                        .placeholder("app_password", "s3cret-Value").placeholder("ServiceToken", "t0ken-Value"));
        assertThat(command).endsWith("--placeholder schema=app --placeholder 'app_password=****' --placeholder 'ServiceToken=****'")
                .doesNotContain("s3cret-Value").doesNotContain("t0ken-Value");
    }

    @Test
    void aReservedNameIsRefusedWhenThePlanIsResolved(TestDatabase db) {
        assertThatThrownBy(() -> run(db, "{\"flyway:user\": x}"))
                .isInstanceOf(RunbookException.class).hasMessageContaining("built-in");
    }
}
