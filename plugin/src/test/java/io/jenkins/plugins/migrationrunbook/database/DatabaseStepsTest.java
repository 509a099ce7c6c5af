package io.jenkins.plugins.migrationrunbook.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.migrationrunbook.config.Database;
import io.jenkins.plugins.migrationrunbook.steps.CapturingListener;
import io.jenkins.plugins.migrationrunbook.steps.FakeTargets;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.backup.BackupFormat;
import io.migrationrunbook.backup.BackupSettings;
import io.migrationrunbook.backup.RestoreSettings;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class DatabaseStepsTest {

    static final Instant NOW = Instant.parse("2026-11-26T13:45:00Z");

    @TempDir
    Path workspace;

    static FakeTargets targets(String jdbcUrl, String user, String password) {
        FakeTargets t = new FakeTargets();
        Database prod = new Database("prod", jdbcUrl);
        prod.setCredentialsId("prod-db");
        t.configuration.setDatabases(List.of(prod));
        t.logins.put("prod-db", new Targets.Login(user, Secret.of(password)));
        return t;
    }

    /** The embedded server may trust local logins and ignore the password: a made-up one still goes everywhere a real one would. */
    static final String PASSWORD = "pw-never-in-the-log";

    static FakeTargets targets(TestDatabase db) {
        return targets(db.jdbcUrl(), db.user(), db.password() == null ? PASSWORD : db.password());
    }

    static String password(TestDatabase db) {
        return db.password() == null ? PASSWORD : db.password();
    }

    @Test
    void backupDefaultsAreSafeAndResolvedFromTheConfiguredDatabase() {
        FakeTargets t = targets("jdbc:postgresql://db.internal:5432/app", "migrator", "pw");
        DbBackupStep step = new DbBackupStep();
        step.setDatabase("prod");

        DbBackupStep.BackupTask task = step.task(t, NOW);
        BackupSettings settings = task.settings(workspace.toFile());

        assertThat(task.target().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/app");
        assertThat(task.target().user()).isEqualTo("migrator");
        assertThat(t.resolved).containsExactly("prod-db");
        assertThat(settings.out()).isEqualTo(workspace.resolve("backups/app-20261126-134500.dump"));
        assertThat(settings.format()).isEqualTo(BackupFormat.CUSTOM);
        assertThat(settings.jobs()).isEqualTo(1);
        assertThat(settings.keep()).as("nothing deleted unless asked").isNull();
        assertThat(settings.lockWaitTimeout()).isNull();
    }

    @Test
    void backupParametersReachTheEngineSettings() {
        FakeTargets t = targets("jdbc:postgresql://db.internal:5432/app", "migrator", "pw");
        t.configuration.database("prod").setBackupDirectory("/srv/backups");
        DbBackupStep step = new DbBackupStep();
        step.setDatabase("prod");
        step.setFormat("Directory");
        step.setJobs(4);
        step.setKeep(7);
        step.setLockWaitTimeout("30s");

        BackupSettings settings = step.task(t, NOW).settings(workspace.toFile());

        assertThat(settings.out()).isEqualTo(Path.of("/srv/backups/app-20261126-134500"));
        assertThat(settings.format()).isEqualTo(BackupFormat.DIRECTORY);
        assertThat(settings.jobs()).isEqualTo(4);
        assertThat(settings.keep()).isEqualTo(7);
        assertThat(settings.lockWaitTimeout()).isEqualTo(Duration.ofSeconds(30));

        step.setOut("dumps/x.dump");
        assertThat(step.task(t, NOW).settings(workspace.toFile()).out()).isEqualTo(workspace.resolve("dumps/x.dump"));
    }

    @Test
    void badParametersFailOnTheControllerBeforeAnyCredentialIsResolved() {
        FakeTargets t = targets("jdbc:postgresql://db.internal:5432/app", "migrator", "pw");
        DbBackupStep step = new DbBackupStep();
        assertThatThrownBy(() -> step.task(t, NOW)).isInstanceOf(RunbookException.class).hasMessageContaining("No database given");
        step.setDatabase("staging");
        assertThatThrownBy(() -> step.task(t, NOW)).hasMessageContaining("Unknown database 'staging'").hasMessageContaining("(prod)");
        step.setDatabase("prod");
        step.setFormat("tar");
        assertThatThrownBy(() -> step.task(t, NOW)).hasMessageContaining("format must be custom or directory, got 'tar'");
        step.setFormat("custom");
        step.setLockWaitTimeout("soon");
        assertThatThrownBy(() -> step.task(t, NOW)).hasMessageContaining("Bad duration");
        assertThat(t.resolved).isEmpty();
        t.configuration.database("prod").setCredentialsId("");
        step.setLockWaitTimeout("");
        assertThatThrownBy(() -> step.task(t, NOW)).hasMessageContaining("has no credentials id");
    }

    @Test
    void restoreBindsItsParameters() {
        FakeTargets t = targets("jdbc:postgresql://db.internal:5432/app", "migrator", "pw");
        DbRestoreStep step = new DbRestoreStep();
        step.setDatabase("prod");
        assertThatThrownBy(() -> step.task(t)).hasMessageContaining("No backup given");
        step.setBackup("backups/app.dump");
        RestoreSettings defaults = step.task(t).settings(workspace.toFile());
        assertThat(defaults.from()).isEqualTo(workspace.resolve("backups/app.dump"));
        assertThat(defaults.replace()).isFalse();
        assertThat(defaults.terminateConnections()).isFalse();
        assertThat(defaults.targetDatabase()).isNull();
        step.setTargetDatabase("app_restored");
        step.setReplace(true);
        step.setJobs(2);
        RestoreSettings s = step.task(t).settings(workspace.toFile());
        assertThat(s.targetDatabase()).isEqualTo("app_restored");
        assertThat(s.replace()).isTrue();
        assertThat(s.jobs()).isEqualTo(2);
    }

    @Test
    void backupThenRestoreOnTheAgentReturnMapsAndNeverLogThePassword(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, total int)", "INSERT INTO orders SELECT g, g FROM generate_series(1, 500) g");
        FakeTargets t = targets(db);
        CapturingListener listener = new CapturingListener();
        DbBackupStep backup = new DbBackupStep();
        backup.setDatabase("prod");

        Map<String, Object> result = RunbookStep.runOnAgent("dbBackup", backup.task(t), new FilePath(workspace.toFile()), listener);

        assertThat(result).containsKeys("file", "sha256", "sizeBytes", "durationMs", "verified");
        assertThat(result.get("verified")).isEqualTo(true);
        assertThat(Path.of((String) result.get("file"))).exists().startsWith(workspace.resolve("backups"));

        DbRestoreStep restore = new DbRestoreStep();
        restore.setDatabase("prod");
        restore.setBackup((String) result.get("file"));
        restore.setTargetDatabase(db.name() + "_restored");
        Map<String, Object> restored = RunbookStep.runOnAgent("dbRestore", restore.task(t), new FilePath(workspace.toFile()), listener);
        assertThat(restored.get("passed")).isEqualTo(true);

        assertThat(listener.text()).contains("[dbBackup] Backing up").doesNotContain(password(db));
    }

    @Test
    void wrongPasswordFailsWithoutShowingIt(TestDatabase db) throws Exception {
        String wrong = "wrong-" + password(db) + "-x";
        FakeTargets t = targets(db.jdbcUrl(), db.user(), wrong);
        CapturingListener listener = new CapturingListener();
        DbBackupStep backup = new DbBackupStep();
        backup.setDatabase("prod");
        try {
            RunbookStep.runOnAgent("dbBackup", backup.task(t), new FilePath(workspace.toFile()), listener);
            // trust authentication: nothing to leak, but nothing may be printed either
        } catch (AbortException e) {
            assertThat(e.getMessage()).doesNotContain(wrong);
        }
        assertThat(listener.text()).doesNotContain(wrong);
        try (var files = Files.list(workspace)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("runbook-secret"))).isEmpty();
        }
    }

    @Test
    void migrateFromTheWorkspaceThenVerifyTheFlywayVersion(TestDatabase db) throws Exception {
        Path migrations = Files.createDirectories(workspace.resolve("db/migration"));
        Files.writeString(migrations.resolve("V1__create_orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);");
        Files.writeString(migrations.resolve("V2__add_orders_currency.sql"), "ALTER TABLE orders ADD COLUMN currency text;");
        FakeTargets t = targets(db);
        CapturingListener listener = new CapturingListener();
        FilePath ws = new FilePath(workspace.toFile());

        FlywayMigrateStep plan = new FlywayMigrateStep();
        plan.setDatabase("prod");
        plan.setDryRun(true);
        Map<String, Object> planned = RunbookStep.runOnAgent("flywayMigrate", plan.task(t), ws, listener);
        assertThat((List<?>) planned.get("pending")).hasSize(2);
        assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'")).isZero();

        FlywayMigrateStep migrate = new FlywayMigrateStep();
        migrate.setDatabase("prod");
        Map<String, Object> result = RunbookStep.runOnAgent("flywayMigrate", migrate.task(t), ws, listener);
        assertThat(result.get("status")).isEqualTo("SUCCESS");
        assertThat(result.get("finalVersion")).isEqualTo("2");
        assertThat(result.get("migrationsApplied")).isEqualTo(2);

        VerifySchemaStep verify = new VerifySchemaStep();
        verify.setDatabase("prod");
        verify.setFlywayVersion("2");
        assertThat(RunbookStep.runOnAgent("verifySchema", verify.task(t), ws, listener).get("passed")).isEqualTo(true);
        verify.setFlywayVersion("3");
        assertThatThrownBy(() -> RunbookStep.runOnAgent("verifySchema", verify.task(t), ws, listener))
                .isInstanceOf(AbortException.class).hasMessageStartingWith("[verifySchema] check failed");

        Files.writeString(migrations.resolve("V3__broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;");
        assertThatThrownBy(() -> RunbookStep.runOnAgent("flywayMigrate", migrate.task(t), ws, listener))
                .isInstanceOf(AbortException.class).hasMessageContaining("V3__broken.sql");
        assertThat(listener.text()).doesNotContain(password(db));
    }

    @Test
    void migrateParametersAndDatabaseTimeoutsReachTheEngineSettings() {
        FakeTargets t = targets("jdbc:postgresql://db.internal:5432/app", "migrator", "pw");
        t.configuration.database("prod").setLockTimeout("3s");
        t.configuration.database("prod").setSchemas("app");
        FlywayMigrateStep step = new FlywayMigrateStep();
        step.setDatabase("prod");
        var defaults = step.task(t).settings(workspace.toFile());
        assertThat(defaults.locations()).containsExactly("filesystem:" + workspace.resolve("db/migration"));
        assertThat(defaults.lockTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.statementTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(defaults.lockRetries()).isEqualTo(5);
        assertThat(defaults.schemas()).containsExactly("app");
        step.setLocations("filesystem:/abs/sql, classpath:db/other");
        step.setLockTimeout("500ms");
        step.setTarget("7");
        step.setLockRetries(0);
        var s = step.task(t).settings(workspace.toFile());
        assertThat(s.locations()).containsExactly("filesystem:/abs/sql", "classpath:db/other");
        assertThat(s.lockTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.target()).isEqualTo("7");
        assertThat(s.lockRetries()).isZero();
        step.setLockTimeout("5m");
        assertThatThrownBy(() -> step.task(t)).isInstanceOf(RunbookException.class).hasMessageContaining("longer than a minute");
    }

    @Test
    void precheckReturnsTheClassifiedPlanAndFailsOnAPlaceholderDescription(TestDatabase db) throws Exception {
        Path migrations = Files.createDirectories(workspace.resolve("db/migration"));
        Files.writeString(migrations.resolve("V1__create_orders_table.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);");
        FakeTargets t = targets(db);
        CapturingListener listener = new CapturingListener();
        FilePath ws = new FilePath(workspace.toFile());
        MigrationPrecheckStep step = new MigrationPrecheckStep();
        step.setDatabase("prod");

        Map<String, Object> result = RunbookStep.runOnAgent("migrationPrecheck", step.task(t), ws, listener);

        assertThat(String.valueOf(result.get("status"))).isNotEqualToIgnoringCase("fail");
        assertThat(result).containsKeys("checks", "plan", "serverVersion");
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) result.get("plan");
        assertThat(plan).containsKeys("pending", "consumersMustPause", "needsApproval");

        Files.writeString(migrations.resolve("V2__fix.sql"), "ALTER TABLE orders ADD COLUMN note text;");
        assertThatThrownBy(() -> RunbookStep.runOnAgent("migrationPrecheck", step.task(t), ws, listener))
                .isInstanceOf(AbortException.class).hasMessageStartingWith("[migrationPrecheck] check failed: ")
                .hasMessageContaining("descriptions");
        assertThat(listener.text()).doesNotContain(password(db));

        step.setLongTransaction("forever");
        assertThatThrownBy(() -> step.task(t)).isInstanceOf(RunbookException.class).hasMessageContaining("Bad duration");
    }

    @Test
    void placeholdersBindIntoMigrateAndPrecheckAndBadOnesFailBeforeCredentials() {
        FakeTargets t = targets("jdbc:postgresql://db.internal:5432/app", "migrator", "pw");
        FlywayMigrateStep migrate = new FlywayMigrateStep();
        migrate.setDatabase("prod");
        Map<String, Object> given = new java.util.LinkedHashMap<>();
        given.put("schema", "app");
        given.put("limit", 10); // a Groovy map literal may hold numbers
        migrate.setPlaceholders(given);
        assertThat(migrate.getPlaceholders()).containsExactly(Map.entry("schema", "app"), Map.entry("limit", "10"));
        assertThat(migrate.task(t).settings(workspace.toFile()).placeholders()).containsEntry("schema", "app").containsEntry("limit", "10");

        MigrationPrecheckStep precheck = new MigrationPrecheckStep();
        precheck.setDatabase("prod");
        precheck.setPlaceholders(Map.of("app_role", "reader"));
        assertThat(precheck.task(t).settings(workspace.toFile()).migrations().placeholders()).containsExactly(Map.entry("app_role", "reader"));

        t.resolved.clear();
        migrate.setPlaceholders(Map.of("flyway:user", "x"));
        assertThatThrownBy(() -> migrate.task(t)).isInstanceOf(RunbookException.class).hasMessageContaining("built-in");
        precheck.setPlaceholders(Map.of("my schema", "x"));
        assertThatThrownBy(() -> precheck.task(t)).isInstanceOf(RunbookException.class).hasMessageContaining("not a placeholder name");
        assertThat(t.resolved).isEmpty();
        migrate.setPlaceholders(null);
        assertThat(migrate.getPlaceholders()).isEmpty();
    }

    @Test
    void migrateAndPrecheckRunMigrationsThatUsePlaceholders(TestDatabase db) throws Exception {
        Path migrations = Files.createDirectories(workspace.resolve("db/migration"));
        Files.writeString(migrations.resolve("V1__create_app_orders.sql"),
                "CREATE SCHEMA IF NOT EXISTS ${schema};\nCREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, note ${note_type});");
        FakeTargets t = targets(db);
        CapturingListener listener = new CapturingListener();
        FilePath ws = new FilePath(workspace.toFile());

        MigrationPrecheckStep precheck = new MigrationPrecheckStep();
        precheck.setDatabase("prod");
        precheck.setPlaceholders(Map.of("schema", "app"));
        assertThatThrownBy(() -> RunbookStep.runOnAgent("migrationPrecheck", precheck.task(t), ws, listener))
                .isInstanceOf(AbortException.class).hasMessageContaining("placeholders").hasMessageContaining("--placeholder note_type=VALUE");

        FlywayMigrateStep migrate = new FlywayMigrateStep();
        migrate.setDatabase("prod");
        migrate.setPlaceholders(Map.of("schema", "app"));
        assertThatThrownBy(() -> RunbookStep.runOnAgent("flywayMigrate", migrate.task(t), ws, listener))
                .isInstanceOf(AbortException.class).hasMessageContaining("${note_type}").hasMessageContaining("V1__create_app_orders.sql");
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();

        precheck.setPlaceholders(Map.of("schema", "app", "note_type", "text"));
        assertThat(String.valueOf(RunbookStep.runOnAgent("migrationPrecheck", precheck.task(t), ws, listener).get("status")))
                .isNotEqualToIgnoringCase("fail");
        migrate.setPlaceholders(Map.of("schema", "app", "note_type", "text"));
        Map<String, Object> result = RunbookStep.runOnAgent("flywayMigrate", migrate.task(t), ws, listener);
        assertThat(result.get("status")).isEqualTo("SUCCESS");
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'app' AND table_name = 'orders' "
                + "AND column_name = 'note' AND data_type = 'text'")).isEqualTo(1);
    }
}
