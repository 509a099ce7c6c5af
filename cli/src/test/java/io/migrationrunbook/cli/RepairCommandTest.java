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

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class RepairCommandTest {

    private static final String INVALID = "SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE NOT x.indisvalid";
    private static final String FAILED_ROWS = "SELECT count(*) FROM flyway_schema_history WHERE NOT success";

    @TempDir
    Path dir;

    private CliRun run(TestDatabase db, String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--locations", "filesystem:" + dir));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void dryRunThenApplyThenMigrateAgain(TestDatabase db) throws IOException {
        Files.writeString(dir.resolve("V1__create_users.sql"), "CREATE TABLE users (id bigserial PRIMARY KEY, email text);\n"
                + "INSERT INTO users (email) VALUES ('a@example.com'), ('a@example.com');");
        Files.writeString(dir.resolve("V2__unique_email.sql"), "CREATE UNIQUE INDEX CONCURRENTLY users_email_ux ON users (email);");
        CliRun failed = run(db, "migrate", "--json");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.json().get("failure").get("fix").asText()).contains("`runbook repair`", "`runbook repair --apply`");
        // an INVALID index no migration created
        db.execute("CREATE TABLE tags (name text)", "INSERT INTO tags VALUES ('x'), ('x')");
        try {
            db.execute("CREATE UNIQUE INDEX CONCURRENTLY tags_name_ux ON tags (name)");
        } catch (IllegalStateException expected) {
            // duplicate key: left INVALID
        }
        assertThat(db.queryLong(INVALID)).isEqualTo(2);
        CliRun refused = run(db, "migrate");
        assertThat(refused.exitCode()).as("migrate refuses while the failed row is there").isEqualTo(1);
        assertThat(refused.out()).contains("runbook repair");

        CliRun dry = run(db, "repair", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isEqualTo(1);
        JsonNode plan = dry.json();
        assertThat(plan.get("status").asText()).isEqualTo("NEEDS_REPAIR");
        assertThat(plan.get("applied").asBoolean()).isFalse();
        assertThat(plan.get("failedEntries")).hasSize(1);
        JsonNode entry = plan.get("failedEntries").get(0);
        assertThat(entry.get("version").asText()).isEqualTo("2");
        assertThat(entry.get("description").asText()).isEqualTo("unique email");
        assertThat(entry.get("script").asText()).isEqualTo("V2__unique_email.sql");
        assertThat(entry.get("installedOn").asText()).isNotBlank();
        assertThat(plan.get("invalidIndexes")).hasSize(2);
        assertThat(plan.get("invalidIndexes").get(0).get("index").asText()).isEqualTo("tags_name_ux");
        assertThat(plan.get("invalidIndexes").get(0).get("drop").asBoolean()).isFalse();
        assertThat(plan.get("invalidIndexes").get(1).get("index").asText()).isEqualTo("users_email_ux");
        assertThat(plan.get("invalidIndexes").get(1).get("definition").asText()).startsWith("CREATE UNIQUE INDEX users_email_ux");
        assertThat(plan.get("actions")).hasSize(2);
        assertThat(plan.get("actions").get(0).get("sql").asText()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_email_ux\"");
        assertThat(plan.get("actions").get(1).get("status").asText()).isEqualTo("PLANNED");
        assertThat(dry.err()).contains("Dry run", "1 failed entry (V2)", "nothing was changed");
        assertThat(db.queryLong(INVALID)).as("dry run changed nothing").isEqualTo(2);
        assertThat(db.queryLong(FAILED_ROWS)).isEqualTo(1);

        CliRun human = run(db, "repair");
        assertThat(human.exitCode()).isEqualTo(1);
        assertThat(human.out()).contains("Repair needed (dry run, nothing changed)", "FAILED ENTRY V2  unique email  V2__unique_email.sql",
                "INVALID INDEX public.users_email_ux on users  -> would drop", "INVALID INDEX public.users_email_ux on users  -> would drop: created by the failed migration V2",
                "INVALID INDEX public.tags_name_ux on tags  -> found but not touched",
                "Would run (with --apply):");

        CliRun applied = run(db, "repair", "--apply", "--json");
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.json().get("status").asText()).isEqualTo("REPAIRED");
        assertThat(applied.json().get("applied").asBoolean()).isTrue();
        assertThat(applied.json().get("actions").get(0).get("status").asText()).isEqualTo("DONE");
        assertThat(applied.err()).contains("Dropping invalid index public.users_email_ux", "Removing the failed history row of V2", "Repair REPAIRED: 2 of 2 action(s) done");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'users_email_ux'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'tags_name_ux'")).as("not touched").isEqualTo(1);
        assertThat(db.queryLong(FAILED_ROWS)).isZero();

        db.execute("DELETE FROM users WHERE id = 2"); // the fix: the duplicate row
        CliRun migrated = run(db, "migrate", "--json");
        assertThat(migrated.exitCode()).as(migrated.err()).isZero();
        assertThat(migrated.json().get("finalVersion").asText()).isEqualTo("2");

        CliRun clean = run(db, "repair");
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.out()).contains("Nothing to repair", "tags_name_ux");
    }

    @Test
    void badInputExitsTwoAndAnUnreachableServerThree(TestDatabase db) {
        CliRun badTimeout = run(db, "repair", "--lock-timeout", "5m");
        assertThat(badTimeout.exitCode()).isEqualTo(2);
        assertThat(badTimeout.err()).contains("--lock-timeout");

        CliRun missing = CliRun.of("repair", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--locations", "filesystem:" + dir.resolve("nope"));
        assertThat(missing.exitCode()).isEqualTo(2);

        CliRun unreachable = CliRun.of("repair", "--db-url", "jdbc:postgresql://127.0.0.1:1/app", "--db-user", "app", "--locations", "filesystem:" + dir);
        assertThat(unreachable.exitCode()).isEqualTo(3);
    }
}
