package io.migrationrunbook.precheck;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.policy.ChangeClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class PrecheckTest {

    @TempDir
    Path dir;

    private PrecheckTest write(String name, String sql) {
        try {
            Files.writeString(dir.resolve(name), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private MigrationSettings migrations() {
        return MigrationSettings.create().locations("filesystem:" + dir);
    }

    private static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.user(), db.password() == null ? null : Secret.of(db.password()));
    }

    private void migrate(DatabaseTarget target) {
        MigrationResult result = new Migrator(target, migrations()).migrate(Progress.silent());
        assertThat(result.succeeded()).as(String.valueOf(result.failure())).isTrue();
    }

    private PrecheckResult precheck(DatabaseTarget target) {
        return precheck(target, PrecheckSettings.create().migrations(migrations()));
    }

    private static PrecheckResult precheck(DatabaseTarget target, PrecheckSettings settings) {
        return Precheck.of(target, settings).run(Progress.silent());
    }

    @Test
    void anAdditiveReleaseOnAQuietTargetPassesWithAPlanThatNeedsNoPause(TestDatabase db) {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);");
        migrate(target(db));
        write("V2__add_processed_at_to_events.sql", "ALTER TABLE events ADD COLUMN processed_at timestamptz;")
                .write("V3__index_events_by_payload.sql", "CREATE INDEX CONCURRENTLY events_payload_ix ON events (payload);");

        PrecheckResult r = precheck(target(db), PrecheckSettings.create().migrations(migrations()).backupDirectory(dir.resolve("backups")));

        assertThat(r.status()).as(r.failureSummary()).isEqualTo(CheckStatus.PASS);
        assertThat(r.passed()).isTrue();
        assertThat(r.currentVersion()).isEqualTo("1");
        assertThat(r.serverVersion()).startsWith("1");
        assertThat(r.checks()).extracting(CheckResult::id).containsExactly("migrationsPresent", "naming", "uniqueVersions",
                "serverVersion", "descriptions", "outOfOrder", "flywayValidation", "placeholders", "releasePolicy", "lint", "blockingSessions",
                "backupSpace", "ownership");
        assertThat(r.checks()).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo(CheckStatus.PASS));
        assertThat(r.check("backupSpace").summary()).contains("free in");
        assertThat(r.plan().pending()).extracting(ReleasePlan.PlannedMigration::version).containsExactly("2", "3");
        assertThat(r.plan().pending().get(0).tables()).containsExactly("events");
        assertThat(r.plan().pending().get(1).transactional()).isFalse();
        assertThat(r.plan().classes()).containsExactly(ChangeClass.NON_BREAKING);
        assertThat(r.plan().consumersMustPause()).isFalse();
        assertThat(r.plan().allowed()).isTrue();
        assertThat(r.plan().refusals()).isEmpty();
    }

    @Test
    void badNamesFailAndFlywayChecksAreSkipped(TestDatabase db) {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);")
                .write("V2_add_payload.sql", "ALTER TABLE events ADD COLUMN payload text;")
                .write("Vx1__add_other.sql", "SELECT 1;")
                .write("add_things.sql", "SELECT 1;")
                .write("afterMigrate.sql", "SELECT 1;");

        PrecheckResult r = precheck(target(db));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        CheckResult naming = r.check("naming");
        assertThat(naming.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(naming.details()).hasSize(3)
                .anyMatch(d -> d.startsWith("V2_add_payload.sql") && d.contains("double underscore"))
                .anyMatch(d -> d.startsWith("Vx1__add_other.sql") && d.contains("version 'x1'"))
                .anyMatch(d -> d.startsWith("add_things.sql"));
        assertThat(r.check("flywayValidation").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(r.check("releasePolicy").status()).isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void duplicateVersionsAndPlaceholderDescriptionsFail(TestDatabase db) {
        write("V1__init.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        migrate(target(db));
        write("V2__fix.sql", "ALTER TABLE events ADD COLUMN a text;")
                .write("V3__describe_your_schema_change.sql", "ALTER TABLE events ADD COLUMN b text;")
                .write("V4__WIP_2.sql", "ALTER TABLE events ADD COLUMN c text;")
                .write("V5__add_archived_flag_to_events.sql", "ALTER TABLE events ADD COLUMN archived boolean;")
                .write("V5.0__add_other_flag_to_events.sql", "ALTER TABLE events ADD COLUMN other boolean;");

        PrecheckResult r = precheck(target(db));

        assertThat(r.check("uniqueVersions").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.check("uniqueVersions").details()).singleElement().asString()
                .contains("V5__add_archived_flag_to_events.sql").contains("V5.0__add_other_flag_to_events.sql");
        CheckResult descriptions = r.check("descriptions");
        assertThat(descriptions.status()).isEqualTo(CheckStatus.FAIL);
        // the applied V1__init is not judged any more (it cannot be renamed); the pending placeholders are
        assertThat(descriptions.details()).hasSize(3)
                .anyMatch(d -> d.startsWith("V2__fix.sql") && d.contains("placeholder"))
                .anyMatch(d -> d.startsWith("V3__describe_your_schema_change.sql"))
                .anyMatch(d -> d.startsWith("V4__WIP_2.sql"));
        assertThat(r.passed()).isFalse();
    }

    @Test
    void descriptionRuleIsConfigurable() {
        DescriptionRule rule = DescriptionRule.defaults();
        assertThat(rule.problem("add email to customers")).isNull();
        assertThat(rule.problem("update")).contains("placeholder");
        assertThat(rule.problem("Changes")).contains("placeholder");
        assertThat(rule.problem("test 3")).contains("placeholder");
        assertThat(rule.problem("cleanup")).contains("too short");
        assertThat(rule.withRejectedDescriptions(java.util.List.of("add stuff")).problem("add_stuff")).contains("placeholder");
        assertThat(rule.withMinWords(1).problem("cleanup")).isNull();
    }

    @Test
    void aPendingMigrationBelowAnAppliedVersionFails(TestDatabase db) {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);")
                .write("V3__add_payload_to_events.sql", "ALTER TABLE events ADD COLUMN payload text;");
        migrate(target(db));
        write("V2__add_source_to_events.sql", "ALTER TABLE events ADD COLUMN source text;");

        PrecheckResult r = precheck(target(db));

        CheckResult outOfOrder = r.check("outOfOrder");
        assertThat(outOfOrder.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(outOfOrder.details()).singleElement().asString().contains("V2__add_source_to_events.sql").contains("before the applied version 3");
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void anEditedAppliedMigrationFailsFlywayValidation(TestDatabase db) {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        migrate(target(db));
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, payload text);");

        PrecheckResult r = precheck(target(db));

        CheckResult validation = r.check("flywayValidation");
        assertThat(validation.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(String.join(" ", validation.details())).containsIgnoringCase("checksum");
        assertThat(validation.fix()).contains("never change");
    }

    @Test
    void anIdleInTransactionSessionLockingATableTheReleaseAltersFailsNamingPidAndTable(TestDatabase db) throws Exception {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY); CREATE TABLE audit (id bigserial PRIMARY KEY);");
        migrate(target(db));
        write("V2__add_payload_to_events.sql", "ALTER TABLE events ADD COLUMN payload text;");

        try (Connection holder = db.connect(); Connection other = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SET application_name = 'report-job'");
                s.executeQuery("SELECT count(*) FROM events").close();
            }
            int holderPid = pid(holder);
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeQuery("SELECT count(*) FROM audit").close();
            }
            int otherPid = pid(other);
            Thread.sleep(300);

            PrecheckResult r = precheck(target(db), PrecheckSettings.create().migrations(migrations())
                    .longTransactionThreshold(Duration.ofMillis(200)));

            CheckResult blocking = r.check("blockingSessions");
            assertThat(blocking.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(blocking.summary()).contains(Integer.toString(holderPid)).doesNotContain(Integer.toString(otherPid));
            assertThat(blocking.details()).anyMatch(d -> d.startsWith("pid " + holderPid) && d.contains("report-job")
                    && d.contains("idle in transaction") && d.contains("public.events (AccessShareLock)") && d.contains("would queue"));
            assertThat(r.blockingSessions()).hasSize(2);
            BlockingSession holderSession = r.blockingSessions().stream().filter(s -> s.pid() == holderPid).findFirst().orElseThrow();
            assertThat(holderSession.blocksRelease()).isTrue();
            assertThat(holderSession.application()).isEqualTo("report-job");
            assertThat(holderSession.user()).isEqualTo(db.user());
            assertThat(holderSession.transactionAgeSeconds()).isNotNegative();
            assertThat(r.blockingSessions().stream().filter(s -> s.pid() == otherPid).findFirst().orElseThrow().blocksRelease()).isFalse();
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);

            holder.rollback();
            PrecheckResult after = precheck(target(db), PrecheckSettings.create().migrations(migrations())
                    .longTransactionThreshold(Duration.ofMillis(200)));
            // the transaction on audit is old but does not lock a table the release changes: a warning
            assertThat(after.check("blockingSessions").status()).isEqualTo(CheckStatus.WARN);
            assertThat(after.check("blockingSessions").details()).singleElement().asString().contains("pid " + otherPid);
            assertThat(after.passed()).isTrue();
            other.rollback();
        }
    }

    @Test
    void aTableOwnedByAnotherRoleFailsOwnership(TestDatabase db) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String migrator = "migrator_" + suffix;
        String owner = "app_owner_" + suffix;
        db.execute("CREATE ROLE " + migrator + " LOGIN PASSWORD 'pw'", "CREATE ROLE " + owner,
                "GRANT CREATE ON SCHEMA public TO " + migrator);
        DatabaseTarget asMigrator = new DatabaseTarget(db.jdbcUrl(), migrator, Secret.of("pw"));
        write("V1__create_tables.sql", "CREATE TABLE events (id bigserial PRIMARY KEY); CREATE TABLE notes (id bigserial PRIMARY KEY);");
        migrate(asMigrator);
        db.execute("ALTER TABLE events OWNER TO " + owner, "ALTER TABLE notes OWNER TO " + owner,
                "GRANT INSERT ON notes TO " + migrator);
        write("V2__add_payload_to_events.sql", "ALTER TABLE events ADD COLUMN payload text;")
                .write("V3__insert_first_note.sql", "INSERT INTO notes DEFAULT VALUES;");

        PrecheckResult r = precheck(asMigrator);

        CheckResult ownership = r.check("ownership");
        assertThat(ownership.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(ownership.details()).singleElement().asString().startsWith("events: owned by " + owner).contains(migrator);
        assertThat(r.passed()).isFalse();

        db.execute("GRANT " + owner + " TO " + migrator);
        assertThat(precheck(asMigrator).check("ownership").status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void aMigrationUserWithoutPgReadAllStatsStillSeesWhoLocksTheTablesTheReleaseChanges(TestDatabase db) throws Exception {
        String migrator = "migrator_" + UUID.randomUUID().toString().substring(0, 8);
        db.execute("CREATE ROLE " + migrator + " LOGIN PASSWORD 'pw'", "GRANT CREATE ON SCHEMA public TO " + migrator);
        DatabaseTarget asMigrator = new DatabaseTarget(db.jdbcUrl(), migrator, Secret.of("pw"));
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        migrate(asMigrator);
        write("V2__add_payload_to_events.sql", "ALTER TABLE events ADD COLUMN payload text;");

        try (Connection holder = db.connect()) { // the superuser: its activity is hidden from the migration user
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT count(*) FROM events").close();
            }
            int holderPid = pid(holder);

            PrecheckResult r = precheck(asMigrator);

            CheckResult blocking = r.check("blockingSessions");
            assertThat(blocking.status()).isEqualTo(CheckStatus.WARN);
            assertThat(blocking.summary()).contains("hidden from the migration user");
            assertThat(blocking.details()).singleElement().asString().startsWith("pid " + holderPid).contains("pg_read_all_stats")
                    .contains("public.events (AccessShareLock)");
            assertThat(blocking.fix()).contains("pg_read_all_stats");
            assertThat(r.blockingSessions()).singleElement().satisfies(s -> {
                assertThat(s.blocksRelease()).isTrue();
                assertThat(s.transactionAgeSeconds()).isEqualTo(-1);
            });
            holder.rollback();
        }
    }

    @Test
    void notEnoughSpaceForTheBackupFails(TestDatabase db) throws IOException {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY);");
        long free = Files.getFileStore(dir).getUsableSpace();
        long size = db.queryLong("SELECT pg_database_size(current_database())");
        double factor = Math.ceil(2.0 * free / size);

        PrecheckResult r = precheck(target(db), PrecheckSettings.create().migrations(migrations())
                .backupDirectory(dir.resolve("not/yet/there")).backupSpaceFactor(factor));

        CheckResult space = r.check("backupSpace");
        assertThat(space.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(space.summary()).contains("not enough space for the backup").contains(dir.toString());
        assertThat(r.passed()).isFalse();
        assertThat(precheck(target(db)).check("backupSpace").status()).isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void theReleasePolicyRefusesAMixedReleaseAndBreakingChangesNeedApproval(TestDatabase db) {
        write("V1__create_events.sql", "CREATE TABLE events (id bigserial PRIMARY KEY, legacy text);");
        migrate(target(db));
        write("V2__drop_legacy_from_events.sql", "ALTER TABLE events DROP COLUMN legacy;");

        PrecheckResult breaking = precheck(target(db));
        assertThat(breaking.check("releasePolicy").status()).isEqualTo(CheckStatus.WARN);
        assertThat(breaking.plan().needsApproval()).isTrue();
        assertThat(breaking.plan().consumersMustPause()).isTrue();
        assertThat(breaking.passed()).isTrue();
        PrecheckResult approved = precheck(target(db), PrecheckSettings.create().migrations(migrations()).approveBreaking(true));
        assertThat(approved.check("releasePolicy").status()).isEqualTo(CheckStatus.PASS);
        assertThat(approved.plan().allowed()).isTrue();

        write("V3__add_note_to_events.sql", "ALTER TABLE events ADD COLUMN note text;");
        PrecheckResult mixed = precheck(target(db));
        assertThat(mixed.check("releasePolicy").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(mixed.plan().refusals()).singleElement().asString().contains("ship them separately");
        assertThat(mixed.plan().allowed()).isFalse();
        assertThat(mixed.passed()).isFalse();
    }

    private static int pid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
