package io.migrationrunbook.rehearse;

import io.migrationrunbook.backup.Backup;
import io.migrationrunbook.backup.BackupResult;
import io.migrationrunbook.backup.BackupSettings;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.schema.SchemaDiff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class RehearsalTest {

    @TempDir
    Path dir;

    @TempDir
    Path backups;

    private RehearsalTest write(String name, String sql) {
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

    /** V1 applied on the target: a table with rows. */
    private void baseline(TestDatabase db) {
        write("V1__create_accounts.sql", "CREATE TABLE accounts (id serial PRIMARY KEY, balance int NOT NULL, legacy text);");
        MigrationResult result = new Migrator(target(db), migrations()).migrate(Progress.silent());
        assertThat(result.succeeded()).as(String.valueOf(result.failure())).isTrue();
        db.execute("INSERT INTO accounts (balance, legacy) SELECT g, 'x' FROM generate_series(1, 500) g");
    }

    private RehearsalResult rehearse(TestDatabase db, RehearsalSettings settings, List<String> progress) {
        return Rehearsal.of(target(db), settings.migrations(migrations())).run(progress::add);
    }

    private static RehearsalResult.RehearsedStatement statement(RehearsalResult r, String script) {
        return r.migrations().stream().filter(m -> m.script().equals(script)).findFirst().orElseThrow().statements().get(0);
    }

    private static long scratchDatabases(TestDatabase db, RehearsalResult r) {
        assertThat(r.scratchDatabase()).contains("_rehearsal_").isNotEqualTo(db.name());
        return db.queryLong("SELECT count(*) FROM pg_database WHERE datname = '" + r.scratchDatabase() + "'");
    }

    @Test
    void observesLocksAndRewritesOfEachStatementAndLeavesTheTargetAlone(TestDatabase db) {
        baseline(db);
        write("V2__add_nickname_to_accounts.sql", "ALTER TABLE accounts ADD COLUMN nickname text;")
                .write("V3__add_tier_with_a_constant_default.sql", "ALTER TABLE accounts ADD COLUMN tier int NOT NULL DEFAULT 0;")
                .write("V4__index_accounts_by_balance.sql", "CREATE INDEX accounts_balance_ix ON accounts (balance);")
                .write("V5__widen_balance_to_bigint.sql", "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;")
                .write("V6__index_accounts_by_tier_concurrently.sql", "CREATE INDEX CONCURRENTLY accounts_tier_ix ON accounts (tier);")
                .write("V7__close_small_accounts.sql", "UPDATE accounts SET legacy = 'closed' WHERE balance < 10;");
        List<String> progress = new ArrayList<>();

        RehearsalResult r = rehearse(db, RehearsalSettings.create().sampleRows(100), progress);

        assertThat(r.failure()).isNull();
        assertThat(r.migrations()).hasSize(6).allMatch(RehearsalResult.RehearsedMigration::succeeded);
        RehearsalResult.RehearsedStatement addColumn = statement(r, "V2__add_nickname_to_accounts.sql");
        assertThat(addColumn.locks()).contains(new RehearsalResult.Lock("public.accounts", "AccessExclusiveLock"));
        assertThat(addColumn.lockSource()).isEqualTo("own-backend");
        assertThat(addColumn.rewritten()).isEmpty();
        RehearsalResult.RehearsedStatement constantDefault = statement(r, "V3__add_tier_with_a_constant_default.sql");
        assertThat(constantDefault.rewritten()).as("a constant default is catalog-only since PostgreSQL 11").isEmpty();
        RehearsalResult.RehearsedStatement index = statement(r, "V4__index_accounts_by_balance.sql");
        assertThat(index.locks()).contains(new RehearsalResult.Lock("public.accounts", "ShareLock"))
                .doesNotContain(new RehearsalResult.Lock("public.accounts", "AccessExclusiveLock"));
        RehearsalResult.RehearsedStatement typeChange = statement(r, "V5__widen_balance_to_bigint.sql");
        assertThat(typeChange.rewritten()).containsExactly("public.accounts");
        assertThat(typeChange.locks()).contains(new RehearsalResult.Lock("public.accounts", "AccessExclusiveLock"));
        RehearsalResult.RehearsedStatement concurrent = statement(r, "V6__index_accounts_by_tier_concurrently.sql");
        assertThat(concurrent.lockSource()).isEqualTo("sampled");
        assertThat(concurrent.inTransaction()).isFalse();
        assertThat(statement(r, "V7__close_small_accounts.sql").rowsAffected()).isEqualTo(9L);

        assertThat(r.lockPhases()).extracting(RehearsalResult.LockPhase::migration)
                .contains("V2__add_nickname_to_accounts.sql", "V5__widen_balance_to_bigint.sql");
        assertThat(r.classes()).contains(ChangeClass.NON_BREAKING, ChangeClass.LOCKING, ChangeClass.BREAKING);
        assertThat(r.reasons()).anyMatch(s -> s.contains("public.accounts was rewritten"));
        assertThat(r.schemaChanges()).extracting(SchemaDiff.Change::kind).contains(SchemaDiff.ChangeKind.COLUMN_ADDED,
                SchemaDiff.ChangeKind.COLUMN_TYPE_CHANGED, SchemaDiff.ChangeKind.INDEX_ADDED);
        assertThat(r.estimatedDurationMs()).isNotNegative();
        assertThat(r.windowEstimate()).matches("\\d+s");
        assertThat(r.source()).contains("100 sample rows");
        assertThat(r.passed()).isTrue();

        // the target was only read: still at version 1, balance still int; the scratch database is gone
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' "
                + "AND column_name = 'balance' AND data_type = 'integer'")).isEqualTo(1);
        assertThat(r.scratchDropped()).isTrue();
        assertThat(scratchDatabases(db, r)).isZero();
        assertThat(progress).anyMatch(p -> p.startsWith("Dropped scratch database " + r.scratchDatabase()));
    }

    @Test
    void aDroppedColumnIsBreakingFromTheCatalogWhateverTheSqlLookedLike(TestDatabase db) {
        baseline(db);
        // dynamic SQL in a DO block: a text linter cannot see the drop, the catalog diff can
        write("V2__tidy_up_accounts.sql", "DO $$ BEGIN EXECUTE 'ALTER TABLE accounts DROP COLUMN ' || 'legacy'; END $$;");

        RehearsalResult r = rehearse(db, RehearsalSettings.create(), new ArrayList<>());

        assertThat(r.schemaChanges()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo(SchemaDiff.ChangeKind.COLUMN_DROPPED);
            assertThat(c.object()).isEqualTo("public.accounts.legacy");
        });
        assertThat(r.classes()).contains(ChangeClass.BREAKING);
        assertThat(r.reasons()).anyMatch(s -> s.startsWith("breaking:") && s.contains("legacy"));
        assertThat(r.notes()).anyMatch(n -> n.contains("No data was copied"));
    }

    @Test
    void anAccessExclusivePhaseOverTheBudgetIsFlaggedAndKeepLeavesTheScratchDatabase(TestDatabase db) {
        baseline(db);
        write("V2__add_flag_then_wait.sql", "ALTER TABLE accounts ADD COLUMN flagged boolean;\nSELECT pg_sleep(0.2);");

        RehearsalResult r = rehearse(db, RehearsalSettings.create().lockBudget(Duration.ofMillis(100)).keep(true), new ArrayList<>());

        assertThat(r.overBudget()).singleElement().satisfies(p -> {
            assertThat(p.relation()).isEqualTo("public.accounts");
            assertThat(p.mode()).isEqualTo("AccessExclusiveLock");
            assertThat(p.durationMs()).isGreaterThanOrEqualTo(200);
            assertThat(p.line()).isEqualTo(1);
        });
        assertThat(r.passed()).isFalse();
        assertThat(r.classes()).contains(ChangeClass.LOCKING);
        assertThat(r.scratchDropped()).isFalse();
        assertThat(scratchDatabases(db, r)).isEqualTo(1);
        db.execute("DROP DATABASE " + r.scratchDatabase());
    }

    @Test
    void refusesToRehearseOnTheTargetDatabaseItself(TestDatabase db) {
        baseline(db);
        write("V2__add_nickname_to_accounts.sql", "ALTER TABLE accounts ADD COLUMN nickname text;");

        assertThatThrownBy(() -> rehearse(db, RehearsalSettings.create().scratchDatabase(db.name()), new ArrayList<>()))
                .isInstanceOf(RunbookException.class).hasMessageContaining("Refusing to rehearse on the target database")
                .extracting(e -> ((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION);
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' "
                + "AND column_name = 'nickname'")).isZero();
    }

    @Test
    void aFailingMigrationIsReportedWithItsStatementAndTheScratchIsStillDropped(TestDatabase db) {
        baseline(db);
        write("V2__add_reference_to_missing_table.sql", "ALTER TABLE accounts ADD COLUMN owner_id int;\n"
                + "ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id);");

        RehearsalResult r = rehearse(db, RehearsalSettings.create(), new ArrayList<>());

        assertThat(r.passed()).isFalse();
        assertThat(r.failure()).contains("V2__add_reference_to_missing_table.sql:2").contains("42P01");
        assertThat(r.schemaChanges()).as("the file's transaction rolled back").isEmpty();
        assertThat(scratchDatabases(db, r)).isZero();
    }

    @Test
    void rehearsesOnAnotherServer(TestDatabase db) {
        baseline(db);
        write("V2__add_nickname_to_accounts.sql", "ALTER TABLE accounts ADD COLUMN nickname text;");
        try (PostgresServer scratchServer = PostgresServer.startEmbedded()) {
            DatabaseTarget scratch = new DatabaseTarget(scratchServer.jdbcUrl("postgres"), scratchServer.user(), null);

            RehearsalResult r = rehearse(db, RehearsalSettings.create().scratchServer(scratch).sampleRows(10), new ArrayList<>());

            assertThat(r.passed()).isTrue();
            assertThat(r.scratchServer()).isEqualTo(scratchServer.host() + ":" + scratchServer.port());
            assertThat(statement(r, "V2__add_nickname_to_accounts.sql").locks())
                    .contains(new RehearsalResult.Lock("public.accounts", "AccessExclusiveLock"));
            try (var c = scratchServer.connect("postgres"); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + r.scratchDatabase() + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' "
                + "AND column_name = 'nickname'")).isZero();
    }

    @Test
    void rehearsesFromABackup(TestDatabase db) {
        baseline(db);
        BackupResult backup = Backup.run(target(db), new BackupSettings().out(backups.resolve("accounts.dump")), Progress.silent());
        write("V2__widen_balance_to_bigint.sql", "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;");

        RehearsalResult r = rehearse(db, RehearsalSettings.create().backup(Path.of(backup.file())), new ArrayList<>());

        assertThat(r.source()).startsWith("backup ");
        assertThat(statement(r, "V2__widen_balance_to_bigint.sql").rewritten()).containsExactly("public.accounts");
        assertThat(r.passed()).isTrue();
        assertThat(scratchDatabases(db, r)).isZero();
    }
}
