package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --placeholder NAME=VALUE} on every command that reads or runs the migrations. */
@ExtendWith(PostgresExtension.class)
class PlaceholderCommandsTest {

    @TempDir
    Path dir;

    private void writeMigrations() throws IOException {
        Files.writeString(dir.resolve("V1__create_app_accounts.sql"),
                "CREATE SCHEMA IF NOT EXISTS ${schema};\nCREATE TABLE ${schema}.accounts (id int PRIMARY KEY, balance int NOT NULL);\n");
        Files.writeString(dir.resolve("V2__grant_accounts_to_app_role.sql"), "GRANT SELECT ON ${schema}.accounts TO ${app_role};\n");
    }

    private static CliRun run(String command, TestDatabase db, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--db-url", db.jdbcUrl(), "--db-user", db.user()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String role(TestDatabase db) {
        String role = db.name() + "_app";
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                + " NOLOGIN; END IF; END $$");
        return role;
    }

    @Test
    void migrateWithTheValuesAndRefuseWithoutThemWithExit2(TestDatabase db) throws IOException {
        writeMigrations();
        String role = role(db);
        String location = "filesystem:" + dir;

        CliRun missing = run("migrate", db, "--locations", location, "--placeholder", "schema=app", "--json");
        assertThat(missing.exitCode()).as(missing.err()).isEqualTo(2);
        assertThat(missing.json().get("error").get("kind").asText()).isEqualTo("CONFIGURATION");
        assertThat(missing.json().get("error").get("message").asText()).contains("V2__grant_accounts_to_app_role.sql")
                .contains("${app_role}").contains("--placeholder app_role=VALUE");
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")).isZero();

        CliRun precheck = run("precheck", db, "--locations", location, "--placeholder", "schema=app", "--placeholder", "app_role=" + role);
        assertThat(precheck.exitCode()).as(precheck.out() + precheck.err()).isZero();
        assertThat(precheck.out()).contains("placeholders");

        CliRun migrated = run("migrate", db, "--locations", location, "--placeholder", "schema=app", "--placeholder", "app_role=" + role, "--json");
        assertThat(migrated.exitCode()).as(migrated.err()).isZero();
        assertThat(migrated.json().get("finalVersion").asText()).isEqualTo("2");
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = '" + role
                + "' AND table_schema = 'app'")).isEqualTo(1);
        assertThat(migrated.err()).doesNotContain(role);
    }

    @Test
    void aMalformedPlaceholderIsExit2BeforeAnythingConnectsOnEveryCommand(TestDatabase db) throws IOException {
        writeMigrations();
        String location = "filesystem:" + dir;
        for (String command : List.of("migrate", "precheck", "rehearse")) {
            CliRun bad = run(command, db, "--locations", location, "--placeholder", "schema", "--json");
            assertThat(bad.exitCode()).as(command + bad.err()).isEqualTo(2);
            assertThat(bad.json().get("error").get("message").asText()).as(command).contains("--placeholder 'schema' is not NAME=VALUE")
                    .contains("--reject-description");
        }
        for (String command : List.of("lint", "classify")) {
            CliRun bad = CliRun.of(command, dir.toString(), "--placeholder", "=x", "--json");
            assertThat(bad.exitCode()).as(command + bad.err()).isEqualTo(2);
        }
        // nothing was created: not the schema, not the history table, not a scratch database
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'flyway_schema_history'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname LIKE '" + db.name() + "_rehearsal_%'")).isZero();
    }

    @Test
    void rehearseRunsWithTheValuesAndRefusesWithoutThem(TestDatabase db) throws IOException {
        writeMigrations();
        String role = role(db);
        String location = "filesystem:" + dir;
        CliRun ok = run("rehearse", db, "--locations", location, "--placeholder", "schema=app", "--placeholder", "app_role=" + role, "--json");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.json().get("migrations")).hasSize(2);
        CliRun missing = run("rehearse", db, "--locations", location, "--placeholder", "schema=app", "--json");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.json().get("error").get("message").asText()).contains("${app_role}").contains("--placeholder app_role=VALUE");
        assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname LIKE '" + db.name() + "_rehearsal_%'")).isZero();
    }

    @Test
    void lintAndClassifyAnalyseTheStatementWithItsValues() throws IOException {
        Files.writeString(dir.resolve("V3__widen_account_balance.sql"),
                "ALTER TABLE ${schema}.accounts ALTER COLUMN balance TYPE bigint;\nGRANT SELECT ON ${schema}.accounts TO ${app_role};\n");
        CliRun lint = CliRun.of("lint", dir.toString(), "--placeholder", "schema=app", "--json");
        assertThat(lint.exitCode()).as(lint.err()).isEqualTo(1);
        List<JsonNode> findings = StreamSupport.stream(lint.json().get("findings").spliterator(), false).toList();
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.get("rule").asText()).isEqualTo("changing-column-type");
            assertThat(f.get("statement").asText()).contains("app.accounts");
        });
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.get("rule").asText()).isEqualTo("unresolved-placeholder");
            assertThat(f.get("severity").asText()).isEqualTo("info");
            assertThat(f.get("message").asText()).contains("${app_role}");
        });

        CliRun classify = CliRun.of("classify", dir.toString(), "--placeholder", "schema=app", "--placeholder", "app_role=r", "--json");
        assertThat(classify.json().get("classification").get("classes").toString()).contains("breaking");
    }
}
