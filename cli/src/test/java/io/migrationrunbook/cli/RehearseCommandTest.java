package io.migrationrunbook.cli;

import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class RehearseCommandTest {

    @TempDir
    Path dir;

    @Test
    void rehearsesThePendingMigrationsAndReportsLocksAndRewrites(TestDatabase db) throws IOException {
        Files.writeString(dir.resolve("V1__create_accounts.sql"), "CREATE TABLE accounts (id serial PRIMARY KEY, balance int);");
        CliRun migrate = CliRun.of("migrate", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--locations", "filesystem:" + dir);
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        Files.writeString(dir.resolve("V2__widen_balance_to_bigint.sql"), "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;");

        CliRun json = CliRun.of("rehearse", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--locations", "filesystem:" + dir,
                "--sample-rows", "10", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.json().get("migrations").get(0).get("statements").get(0).get("rewritten").get(0).asText()).isEqualTo("public.accounts");
        assertThat(json.json().get("scratchDropped").asBoolean()).isTrue();

        CliRun human = CliRun.of("rehearse", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--locations", "filesystem:" + dir,
                "--lock-budget", "1ms");
        assertThat(human.out()).contains("REWRITTEN: public.accounts").contains("AccessExclusiveLock on public.accounts")
                .contains("Classified from the facts: ").contains("Scratch database dropped.");

        CliRun refused = CliRun.of("rehearse", "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--locations", "filesystem:" + dir,
                "--scratch-db", db.name());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("Refusing to rehearse on the target database");
    }
}
