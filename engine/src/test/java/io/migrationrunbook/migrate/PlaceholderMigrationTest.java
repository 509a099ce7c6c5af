package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.precheck.CheckStatus;
import io.migrationrunbook.precheck.Precheck;
import io.migrationrunbook.precheck.PrecheckResult;
import io.migrationrunbook.precheck.PrecheckSettings;
import io.migrationrunbook.rehearse.Rehearsal;
import io.migrationrunbook.rehearse.RehearsalResult;
import io.migrationrunbook.rehearse.RehearsalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway placeholders end to end on real PostgreSQL: migrate, precheck and rehearse see the same SQL. */
@ExtendWith(PostgresExtension.class)
class PlaceholderMigrationTest {

    static final String V1 = "V1__create_app_accounts.sql";
    static final String V2 = "V2__grant_accounts_to_app_role.sql";
    static final String V3 = "V3__widen_account_balance.sql";

    @TempDir
    Path dir;

    private void write(String name, String sql) {
        try {
            Files.writeString(dir.resolve(name), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** V1 and V2 use ${schema} and ${app_role}, and Flyway's built-ins. */
    private void writeV1V2() {
        write(V1, "CREATE SCHEMA IF NOT EXISTS ${schema};\n"
                + "CREATE TABLE ${schema}.accounts (id int PRIMARY KEY, balance int NOT NULL);\n"
                + "-- the history lives in ${flyway:defaultSchema}\n"
                + "COMMENT ON TABLE ${schema}.accounts IS 'by ${flyway:user} in ${flyway:defaultSchema}, history ${flyway:table}';\n"
                + "INSERT INTO ${schema}.accounts SELECT g, g FROM generate_series(1, 50) g;\n");
        write(V2, "GRANT USAGE ON SCHEMA ${schema} TO ${app_role};\nGRANT SELECT ON ${schema}.accounts TO ${app_role};\n");
    }

    private void writeV3() {
        write(V3, "ALTER TABLE ${schema}.accounts ALTER COLUMN balance TYPE bigint;\n");
    }

    private static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.user(), db.password() == null ? null : Secret.of(db.password()));
    }

    /** A role of this test only (roles are per server, databases per test). */
    private static String role(TestDatabase db) {
        String role = db.name() + "_reader";
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                + " NOLOGIN; END IF; END $$");
        return role;
    }

    private MigrationSettings settings(Map<String, String> placeholders) {
        return MigrationSettings.create().locations("filesystem:" + dir).placeholders(placeholders).lockRetries(0);
    }

    private static String text(TestDatabase db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void migratesWithTheValuesAndFlywaysBuiltIns(TestDatabase db) {
        writeV1V2();
        String role = role(db);
        List<String> progress = new ArrayList<>();
        MigrationResult result = new Migrator(target(db), settings(Map.of("schema", "app", "app_role", role))).migrate(progress::add);

        assertThat(result.succeeded()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.finalVersion()).isEqualTo("2");
        assertThat(db.queryLong("SELECT count(*) FROM app.accounts")).isEqualTo(50);
        assertThat(text(db, "SELECT has_table_privilege('" + role + "', 'app.accounts', 'SELECT')::text")).isEqualTo("true");
        assertThat(text(db, "SELECT obj_description('app.accounts'::regclass)"))
                .isEqualTo("by " + db.user() + " in public, history flyway_schema_history");
        assertThat(String.join("\n", progress)).doesNotContain(role); // values stay out of the progress log
    }

    @Test
    void refusesWithoutAValueBeforeApplyingAnything(TestDatabase db) {
        writeV1V2();
        Migrator migrator = new Migrator(target(db), settings(Map.of("schema", "app")));
        assertThatThrownBy(() -> migrator.migrate(Progress.silent()))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining(V2).hasMessageContaining("${app_role} (line 1)")
                .hasMessageContaining("--placeholder app_role=VALUE")
                .hasMessageNotContaining(V1);
        // plain Flyway would have applied V1 and stopped at V2; here nothing ran, not even the history table
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'flyway_schema_history'")).isZero();
        // the dry run says the same
        assertThatThrownBy(migrator::plan).hasMessageContaining("${app_role}");
    }

    @Test
    void anSqlCallbackUsingAPlaceholderIsCheckedBeforeTheMigrationsRun(TestDatabase db) {
        write(V1, "CREATE SCHEMA IF NOT EXISTS ${schema};\nCREATE TABLE ${schema}.accounts (id int PRIMARY KEY);\n");
        write("afterMigrate__grants.sql", "GRANT USAGE ON SCHEMA ${schema} TO ${app_role};\n");
        String role = role(db);

        // plain Flyway would apply V1 and then fail in the callback, the release applied but the run failed
        assertThatThrownBy(() -> new Migrator(target(db), settings(Map.of("schema", "app"))).migrate(Progress.silent()))
                .hasMessageContaining("afterMigrate__grants.sql: ${app_role} (line 1)");
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();
        PrecheckResult precheck = Precheck.of(target(db), PrecheckSettings.create().migrations(settings(Map.of("schema", "app"))))
                .run(Progress.silent());
        assertThat(precheck.check("placeholders").details()).containsExactly("afterMigrate__grants.sql: ${app_role} (line 1)");

        assertThat(new Migrator(target(db), settings(Map.of("schema", "app", "app_role", role))).migrate(Progress.silent()).succeeded()).isTrue();
        assertThat(text(db, "SELECT has_schema_privilege('" + role + "', 'app', 'USAGE')::text")).isEqualTo("true");
    }

    @Test
    void precheckValidatesWithTheSamePlaceholdersAndReportsMissingOnes(TestDatabase db) {
        writeV1V2();
        String role = role(db);
        Map<String, String> values = Map.of("schema", "app", "app_role", role);
        assertThat(new Migrator(target(db), settings(values)).migrate(Progress.silent()).succeeded()).isTrue();
        writeV3();

        PrecheckResult same = Precheck.of(target(db), PrecheckSettings.create().migrations(settings(values))).run(Progress.silent());
        assertThat(same.check("flywayValidation").status()).as(same.failureSummary()).isEqualTo(CheckStatus.PASS);
        assertThat(same.check("placeholders").status()).isEqualTo(CheckStatus.PASS);
        // V3's statement was classified as migrate will run it: the type change of app.accounts
        assertThat(same.plan().pending()).singleElement().satisfies(p -> assertThat(p.tables()).anyMatch(t -> t.contains("accounts")));

        // Flyway checksums a versioned file as written (before replacement): another value validates, as in migrate
        PrecheckResult other = Precheck.of(target(db), PrecheckSettings.create().migrations(settings(Map.of("schema", "other",
                "app_role", role)))).run(Progress.silent());
        assertThat(other.check("flywayValidation").status()).isEqualTo(CheckStatus.PASS);
        assertThat(new Migrator(target(db), settings(Map.of("schema", "other", "app_role", role))).validate().valid()).isTrue();

        PrecheckResult missing = Precheck.of(target(db), PrecheckSettings.create().migrations(settings(Map.of("app_role", role))))
                .run(Progress.silent());
        assertThat(missing.check("placeholders").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(missing.check("placeholders").details()).containsExactly(V3 + ": ${schema} (line 1)");
        assertThat(missing.check("placeholders").fix()).contains("--placeholder schema=VALUE");
        assertThat(missing.passed()).isFalse();
    }

    @Test
    void aRepeatableMigrationIsPendingAgainWhenAPlaceholderValueChangesForMigrateAndPrecheckAlike(TestDatabase db) {
        write("R__app_view.sql", "CREATE OR REPLACE VIEW app_limit AS SELECT ${limit}::int AS max_accounts;\n");
        assertThat(new Migrator(target(db), settings(Map.of("limit", "10"))).migrate(Progress.silent()).succeeded()).isTrue();
        assertThat(new Migrator(target(db), settings(Map.of("limit", "10"))).pending()).isEmpty();
        // Flyway checksums a repeatable migration after replacement: a new value makes it pending again
        List<PendingMigration> changed = new Migrator(target(db), settings(Map.of("limit", "20"))).pending();
        assertThat(changed).extracting(PendingMigration::script).containsExactly("R__app_view.sql");
        PrecheckResult precheck = Precheck.of(target(db), PrecheckSettings.create().migrations(settings(Map.of("limit", "20"))))
                .run(Progress.silent());
        assertThat(precheck.plan().pending()).extracting(p -> p.script())
                .containsExactlyElementsOf(changed.stream().map(PendingMigration::script).toList());
        MigrationResult migrated = new Migrator(target(db), settings(Map.of("limit", "20"))).migrate(Progress.silent());
        assertThat(migrated.applied()).extracting(AppliedMigration::script)
                .containsExactlyElementsOf(changed.stream().map(PendingMigration::script).toList());
        assertThat(db.queryLong("SELECT max_accounts FROM app_limit")).isEqualTo(20);
    }

    @Test
    void repairFindsTheInvalidIndexAFailedMigrationNamedThroughAPlaceholder(TestDatabase db) {
        write(V1, "CREATE TABLE users (id int PRIMARY KEY, email text);\nINSERT INTO users VALUES (1, 'a'), (2, 'a');\n");
        write("V2__unique_user_email.sql", "CREATE UNIQUE INDEX CONCURRENTLY ${prefix}_email_ux ON users (email);\n");
        MigrationSettings settings = settings(Map.of("prefix", "users"));
        MigrationResult failed = new Migrator(target(db), settings).migrate(Progress.silent());
        assertThat(failed.succeeded()).isFalse();

        RepairResult plan = new Repairer(target(db), settings).plan(Progress.silent());
        assertThat(plan.failedEntries()).singleElement().satisfies(e -> assertThat(e.indexesCreated()).containsExactly("users_email_ux"));
        assertThat(plan.invalidIndexes()).singleElement().satisfies(i -> assertThat(i.drop()).isTrue());
    }

    @Test
    void rehearsalRunsTheSameSqlAsMigrateAndRefusesAMissingValue(TestDatabase db) {
        writeV1V2();
        String role = role(db);
        Map<String, String> values = Map.of("schema", "app", "app_role", role);
        MigrationSettings v1Only = settings(values).target("1");
        assertThat(new Migrator(target(db), v1Only).migrate(Progress.silent()).succeeded()).isTrue();
        writeV3();

        RehearsalResult rehearsal = Rehearsal.of(target(db), RehearsalSettings.create().migrations(settings(values)))
                .run(Progress.silent());
        assertThat(rehearsal.passed()).as(rehearsal.failure()).isTrue();
        assertThat(rehearsal.migrations()).extracting(RehearsalResult.RehearsedMigration::script).containsExactly(V2, V3);
        assertThat(rehearsal.migrations().get(1).statements().get(0).statement()).contains("app.accounts");
        assertThat(rehearsal.migrations().get(1).statements().get(0).rewritten()).anyMatch(t -> t.contains("app.accounts"));

        MigrationResult migrated = new Migrator(target(db), settings(values)).migrate(Progress.silent());
        assertThat(migrated.succeeded()).isTrue();
        assertThat(migrated.applied()).extracting(AppliedMigration::script)
                .containsExactlyElementsOf(rehearsal.migrations().stream().map(RehearsalResult.RehearsedMigration::script).toList());
        assertThat(text(db, "SELECT data_type FROM information_schema.columns WHERE table_schema = 'app' AND column_name = 'balance'"))
                .isEqualTo("bigint");
    }

    @Test
    void rehearsalWithoutAValueIsAConfigurationErrorAndDropsItsScratchDatabase(TestDatabase db) {
        writeV1V2();
        String role = role(db);
        assertThat(new Migrator(target(db), settings(Map.of("schema", "app", "app_role", role)).target("1"))
                .migrate(Progress.silent()).succeeded()).isTrue();
        assertThatThrownBy(() -> Rehearsal.of(target(db), RehearsalSettings.create().migrations(settings(Map.of("schema", "app"))))
                .run(Progress.silent()))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining(V2).hasMessageContaining("${app_role}").hasMessageContaining("--placeholder app_role=VALUE");
        assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname LIKE '" + db.name() + "_rehearsal_%'")).isZero();
    }
}
