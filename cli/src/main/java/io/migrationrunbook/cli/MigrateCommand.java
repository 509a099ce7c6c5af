package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.migrate.AppliedMigration;
import io.migrationrunbook.migrate.InvalidIndex;
import io.migrationrunbook.migrate.MigrationFailure;
import io.migrationrunbook.migrate.MigrationPlan;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.migrate.PendingMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** {@code runbook migrate}: the flywayMigrate step on the command line. */
@Command(name = "migrate", description = {
        "Apply pending Flyway migrations forward-only: every migration under lock_timeout and statement_timeout, a migration",
        "that hits the lock timeout retried with backoff (its transaction rolled back), invalid indexes detected afterwards.",
        "--dry-run lists what would be applied, in order, and changes nothing."})
public class MigrateCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Mixin
    MigrationOptions migration;

    @Option(names = "--target", paramLabel = "VERSION", description = "Migrate up to this version (default: latest).")
    String target;

    @Option(names = "--dry-run", description = "List the migrations that would be applied, with their files, and validate; change nothing.")
    boolean dryRun;

    @Override
    protected Outcome run(Progress progress) {
        MigrationSettings settings = migration.settings(target);
        Migrator migrator = new Migrator(db.target(), settings);
        if (dryRun) {
            progress.report("Dry run: reading the schema history and %s; nothing will change", String.join(", ", settings.locations()));
            MigrationPlan plan = migrator.plan();
            return Outcome.of(plan, plan.validation().valid(), planSummary(plan));
        }
        MigrationResult result = migrator.migrate(progress);
        if (result.failure() != null && result.failure().kind() == MigrationFailure.Kind.CONNECTION_LOST) {
            return Outcome.environmentFailure(result, resultSummary(result)); // the server went away: exit 3, like an unreachable one
        }
        return Outcome.of(result, result.succeeded(), resultSummary(result));
    }

    static String planSummary(MigrationPlan plan) {
        StringBuilder text = new StringBuilder();
        text.append("Dry run on ").append(plan.database()).append(": current version ").append(orEmpty(plan.currentVersion()))
                .append(", target ").append(plan.targetVersion()).append(", ").append(plan.pending().size()).append(" migration(s) would be applied");
        text.append(plan.pending().isEmpty() ? "." : ":");
        for (PendingMigration m : plan.pending()) {
            text.append("\n  ").append(m.version() == null ? "R" : "V" + m.version()).append("  ").append(m.description())
                    .append(Boolean.FALSE.equals(m.transactional()) ? "  [non-transactional]" : "")
                    .append("  ").append(m.file() == null || m.file().isEmpty() ? m.script() : m.file());
        }
        if (!plan.validation().valid()) {
            text.append("\nValidation FAILED, migrate would refuse: ").append(plan.validation().message());
        }
        return text.toString();
    }

    static String resultSummary(MigrationResult result) {
        StringBuilder text = new StringBuilder();
        text.append(result.succeeded() ? "Migrated " : "Migration FAILED on ").append(result.database()).append(": version ")
                .append(orEmpty(result.initialVersion())).append(" -> ").append(orEmpty(result.finalVersion())).append(", ")
                .append(result.migrationsApplied()).append(" applied in ").append(Progress.format(Duration.ofMillis(result.totalDurationMs())));
        if (result.totalRetries() > 0) {
            text.append(", ").append(result.totalRetries()).append(" lock-timeout retries");
        }
        for (AppliedMigration m : result.applied()) {
            text.append("\n  ").append(m.version() == null ? "R" : "V" + m.version()).append("  ").append(m.description()).append("  ")
                    .append(Progress.format(Duration.ofMillis(m.durationMs())))
                    .append(m.retries() == 0 ? "" : "  (" + m.retries() + " retries)");
        }
        MigrationFailure failure = result.failure();
        if (failure != null) {
            text.append("\n").append(failure.kind()).append(": ").append(failure.message());
            if (failure.file() != null) {
                text.append("\n  file: ").append(failure.file());
            }
            text.append("\n  fix: ").append(failure.fix());
        }
        for (InvalidIndex index : result.invalidIndexes()) {
            text.append("\nINVALID INDEX ").append(index.schema()).append('.').append(index.index()).append(" on ").append(index.table())
                    .append(index.preExisting() ? " (already invalid before this run)" : "").append(": ").append(index.fix());
        }
        for (String warning : result.warnings()) {
            text.append("\nwarning: ").append(warning);
        }
        return text.toString();
    }

    private static String orEmpty(String version) {
        return version == null ? "<empty>" : version;
    }
}
