package io.migrationrunbook.policy;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.lint.LintReport;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.lint.Linter;
import io.migrationrunbook.lint.Migration;
import io.migrationrunbook.lint.MigrationLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleasePolicyTest {

    /** A release of migration files V1, V2 ... with the given SQL; "users" and "orders" exist already. */
    private static LintReport release(LintSettings settings, String... files) {
        List<Migration> migrations = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            migrations.add(MigrationLoader.parse(Path.of("V" + (i + 1) + "__step.sql"), files[i], null));
        }
        return Linter.lintMigrations(migrations, settings);
    }

    private static LintReport release(String... files) {
        return release(LintSettings.defaults(), files);
    }

    @Test
    void purelyAdditiveNonLockingReleaseNeedsNoPause() {
        LintReport report = release(
                "CREATE TABLE audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb);",
                "ALTER TABLE users ADD COLUMN nickname text; ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();",
                "CREATE INDEX CONCURRENTLY users_nickname ON users (nickname);",
                "CREATE VIEW active_users AS SELECT * FROM users; ALTER TYPE mood ADD VALUE 'meh';");
        PolicyDecision d = report.decision();
        assertThat(d.classes()).containsExactly(ChangeClass.NON_BREAKING);
        assertThat(d.consumersMustPause()).isFalse();
        assertThat(d.pauseReasons()).isEmpty();
        assertThat(d.allowed()).isTrue();
        assertThat(d.needsApproval()).isFalse();
        assertThat(report.classification().migrations()).allMatch(m -> !m.consumersMustPause());
    }

    @Test
    void droppingObjectsOtherThanTablesIsBreakingUnlessTheFileCreatedThem() {
        LintReport temporary = release("""
                CREATE VIEW tmp_v AS SELECT id FROM users;
                CREATE FUNCTION tmp_f() RETURNS int LANGUAGE sql AS 'SELECT 1';
                CREATE SEQUENCE tmp_s;
                CREATE TYPE tmp_t AS ENUM ('a');
                CREATE TRIGGER tmp_tr AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION tmp_f();
                DROP TRIGGER tmp_tr ON users; DROP VIEW tmp_v; DROP FUNCTION tmp_f(); DROP SEQUENCE tmp_s; DROP TYPE tmp_t;
                """);
        assertThat(temporary.classification().classes()).doesNotContain(ChangeClass.BREAKING);
        for (String drop : List.of("DROP VIEW active_users;", "DROP MATERIALIZED VIEW stats;", "DROP FUNCTION f(int);",
                "DROP PROCEDURE p;", "DROP TYPE mood;", "DROP SEQUENCE s;", "DROP TRIGGER t ON users;")) {
            LintReport report = release(drop);
            assertThat(report.classification().classes()).as(drop).contains(ChangeClass.BREAKING);
            assertThat(report.findings()).as(drop).anyMatch(f -> f.rule().startsWith("ban-drop-"));
        }
    }

    @Test
    void mixingBreakingAndNonBreakingIsRefusedEvenWhenApproved() {
        LintReport report = release(LintSettings.defaults().withApproveBreaking(true),
                "ALTER TABLE users ADD COLUMN nickname text;",
                "ALTER TABLE users DROP COLUMN legacy;");
        PolicyDecision d = report.decision();
        assertThat(d.classes()).contains(ChangeClass.NON_BREAKING, ChangeClass.BREAKING);
        assertThat(d.allowed()).isFalse();
        assertThat(d.refusals()).singleElement().asString().contains("ship them separately").contains("V2__step.sql:1");
        assertThat(d.consumersMustPause()).isTrue();
        // the policy can allow it
        LintReport allowed = release(LintSettings.defaults().withApproveBreaking(true)
                        .withPolicy(ReleasePolicy.defaults().withRefuseMixedRelease(false)),
                "ALTER TABLE users ADD COLUMN nickname text;", "ALTER TABLE users DROP COLUMN legacy;");
        assertThat(allowed.decision().allowed()).isTrue();
    }

    @Test
    void breakingChangesNeedApproval() {
        String[] breaking = {"ALTER TABLE users RENAME COLUMN name TO full_name;", "DROP TABLE sessions;"};
        PolicyDecision waiting = release(breaking).decision();
        assertThat(waiting.classes()).containsExactly(ChangeClass.BREAKING);
        assertThat(waiting.refusals()).isEmpty();
        assertThat(waiting.needsApproval()).isTrue();
        assertThat(waiting.allowed()).isFalse();
        assertThat(waiting.headline()).startsWith("NEEDS APPROVAL");
        PolicyDecision approved = release(LintSettings.defaults().withApproveBreaking(true), breaking).decision();
        assertThat(approved.allowed()).isTrue();
        assertThat(approved.approved()).isTrue();
        assertThat(approved.consumersMustPause()).isTrue();
    }

    @Test
    void backfillsAreRefused() {
        PolicyDecision d = release("UPDATE orders SET status = 'archived';").decision();
        assertThat(d.classes()).containsExactly(ChangeClass.BACKFILL);
        assertThat(d.allowed()).isFalse();
        assertThat(d.refusals()).singleElement().asString().contains("batch job");
        assertThat(d.consumersMustPause()).isTrue();
        LintSettings allow = LintSettings.defaults().withPolicy(ReleasePolicy.defaults().withRefuseBackfill(false));
        assertThat(release(allow, "UPDATE orders SET status = 'archived';").decision().allowed()).isTrue();
    }

    @Test
    void lockingChangesPauseConsumersButAreAllowedByDefault() {
        PolicyDecision d = release("CREATE INDEX orders_status ON orders (status);").decision();
        assertThat(d.classes()).containsExactlyInAnyOrder(ChangeClass.NON_BREAKING, ChangeClass.LOCKING);
        assertThat(d.consumersMustPause()).isTrue();
        assertThat(d.allowed()).isTrue();
        PolicyDecision strict = release(LintSettings.defaults().withPolicy(new ReleasePolicy(true, true, true, true, false)),
                "CREATE INDEX orders_status ON orders (status);").decision();
        assertThat(strict.allowed()).isFalse();
    }

    @Test
    void writePathChangesPauseConsumersWithoutBeingBreaking() {
        for (String sql : new String[] {
                "ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false;",
                "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
                "CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION f();"}) {
            PolicyDecision d = release(sql).decision();
            assertThat(d.classes()).as(sql).doesNotContain(ChangeClass.BREAKING);
            assertThat(d.consumersMustPause()).as(sql).isTrue();
            assertThat(d.allowed()).as(sql).isTrue();
        }
    }

    @Test
    void suppressedFindingsStillClassify() {
        LintReport report = release("-- runbook:allow ban-drop-column unused since release 12\nALTER TABLE users DROP COLUMN legacy;");
        assertThat(report.findings()).isEmpty();
        assertThat(report.classification().classes()).containsExactly(ChangeClass.BREAKING);
    }

    @Test
    void policyYamlKeepsDefaultsForMissingKeysAndRejectsUnknownOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "refuseBackfill: false\nlockingNeedsApproval: true\n");
        assertThat(ReleasePolicy.load(file)).isEqualTo(new ReleasePolicy(true, false, true, false, true));
        Files.writeString(file, "refuseBackfil: false\n");
        assertThatThrownBy(() -> ReleasePolicy.load(file)).isInstanceOf(RunbookException.class)
                .hasMessageContaining("refuseBackfil");
    }

    @Test
    void fromVersionLeavesAppliedMigrationsOutOfTheReleaseButKeepsTheirTables() {
        LintReport report = release(LintSettings.defaults().withFromVersion("2"),
                "CREATE TABLE ledger (id bigint, note text); ALTER TABLE users DROP COLUMN legacy;",
                "CREATE INDEX CONCURRENTLY ledger_note ON ledger (note); ALTER TABLE ledger ALTER COLUMN note TYPE varchar(10);");
        assertThat(report.summary().files()).isEqualTo(1);
        assertThat(report.migrations()).extracting(Migration::name).containsExactly("V2__step.sql");
        // V1 was applied long ago: its drop is not part of this release; ledger is an existing table now
        assertThat(String.join(" ", report.decision().refusals()) + report.decision().pauseReasons()).doesNotContain("V1__");
        assertThat(report.findings()).extracting(f -> f.rule()).contains("changing-column-type", "concurrent-index-in-transaction");
        assertThat(report.classification().migrations()).singleElement().matches(m -> m.file().equals("V2__step.sql"));
    }
}
