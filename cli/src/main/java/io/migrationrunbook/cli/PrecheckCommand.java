package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.precheck.CheckResult;
import io.migrationrunbook.precheck.CheckStatus;
import io.migrationrunbook.precheck.DescriptionRule;
import io.migrationrunbook.precheck.Precheck;
import io.migrationrunbook.precheck.PrecheckResult;
import io.migrationrunbook.precheck.PrecheckSettings;
import io.migrationrunbook.precheck.ReleasePlan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code runbook precheck}: the migrationPrecheck step on the command line. Exit 1 when a check fails. */
@Command(name = "precheck", description = {
        "Pre-checks before a release, read-only: migrations present, Flyway names, unique versions, descriptive descriptions,",
        "nothing pending below an applied version, Flyway validation; the pending list with its classification and the release",
        "policy's decision; on the target: server version, long transactions holding locks on the tables the release changes,",
        "free space for the backup, the migration user's ownership of those tables. Exit 1 when a check fails."})
public class PrecheckCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--locations", paramLabel = "LOCATION", split = ",", defaultValue = "filesystem:db/migration",
            description = "Flyway locations, comma-separated or repeated (default ${DEFAULT-VALUE}).")
    List<String> locations;

    @Option(names = "--target", paramLabel = "VERSION", description = "Check the release up to this version (default: latest).")
    String target;

    @Option(names = "--schemas", paramLabel = "SCHEMA", split = ",", description = "Schemas Flyway manages; the first holds the history table.")
    List<String> schemas;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = MigrationSettings.DEFAULT_TABLE,
            description = "Schema history table (default ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--long-transaction", paramLabel = "DURATION", defaultValue = "1m",
            description = "Transactions older than this are reported; fail when they lock a table the release changes (default ${DEFAULT-VALUE}).")
    Duration longTransaction;

    @Option(names = "--backup-dir", paramLabel = "DIR", description = "Where the backup goes: checks its free space against the database size.")
    Path backupDir;

    @Option(names = "--backup-space-factor", paramLabel = "X", defaultValue = "1.0",
            description = "Free space needed for the backup as a multiple of pg_database_size (default ${DEFAULT-VALUE}).")
    double backupSpaceFactor;

    @Option(names = "--reject-description", paramLabel = "TEXT", split = ",",
            description = "More migration descriptions to reject as saying nothing (besides fix, wip, update, test, changes, ...).")
    List<String> rejectDescriptions;

    @Mixin
    PlaceholderOptions placeholders = new PlaceholderOptions();

    @Option(names = "--min-description-words", paramLabel = "N", defaultValue = "2",
            description = "Fewest words in a pending migration's description (default ${DEFAULT-VALUE}).")
    int minDescriptionWords;

    @Option(names = "--backfill-threshold", paramLabel = "ROWS", defaultValue = "" + LintSettings.DEFAULT_BACKFILL_ROWS,
            description = "DML estimated to touch more rows than this is a backfill (default ${DEFAULT-VALUE}).")
    long backfillThreshold;

    @ArgGroup(exclusive = false)
    LintCommand.PolicyOptions policy = new LintCommand.PolicyOptions();

    @Override
    protected Outcome run(Progress progress) {
        MigrationSettings migrations = MigrationSettings.create().placeholders(placeholders.values()).locations(locations).target(target)
                .schemas(schemas == null ? List.of() : schemas).table(table);
        DescriptionRule rule = DescriptionRule.defaults().withMinWords(minDescriptionWords)
                .withRejectedDescriptions(rejectDescriptions == null ? List.of() : rejectDescriptions);
        PrecheckSettings settings = PrecheckSettings.create().migrations(migrations).longTransactionThreshold(longTransaction)
                .backupDirectory(backupDir).backupSpaceFactor(backupSpaceFactor).descriptionRule(rule)
                .policy(policy.policy()).approveBreaking(policy.approveBreaking).backfillRowThreshold(backfillThreshold);
        PrecheckResult result = Precheck.of(db.target(), settings).run(progress);
        return Outcome.of(result, result.passed(), human(result));
    }

    static String human(PrecheckResult r) {
        StringBuilder b = new StringBuilder();
        b.append("Pre-checks on ").append(r.database()).append(" (PostgreSQL ").append(r.serverVersion()).append(", user ")
                .append(r.user()).append(", version ").append(r.currentVersion() == null ? "<empty>" : r.currentVersion()).append("): ")
                .append(r.status().label().toUpperCase(Locale.ROOT)).append('\n');
        for (CheckResult c : r.checks()) {
            b.append(String.format("  %-5s %-18s %s%n", c.status().label().toUpperCase(Locale.ROOT), c.id(), c.summary()));
            c.details().forEach(d -> b.append("          - ").append(d).append('\n'));
            if (c.fix() != null && c.status() != CheckStatus.PASS && c.status() != CheckStatus.SKIPPED) {
                b.append("          fix: ").append(c.fix()).append('\n');
            }
        }
        ReleasePlan plan = r.plan();
        b.append("Plan: ").append(plan.pending().size()).append(" migration(s) will run");
        b.append(plan.pending().isEmpty() ? "\n" : ":\n");
        for (ReleasePlan.PlannedMigration m : plan.pending()) {
            b.append("  ").append(m.version() == null ? "R" : "V" + m.version()).append("  ").append(m.description()).append("  [")
                    .append(label(m.classes())).append(']').append(Boolean.FALSE.equals(m.transactional()) ? " (non-transactional)" : "")
                    .append('\n');
        }
        b.append("Consumers: ").append(plan.consumersMustPause() ? "must be paused" : "no pause needed").append('\n');
        plan.pauseReasons().forEach(p -> b.append("  - ").append(p).append('\n'));
        if (!plan.refusals().isEmpty()) {
            b.append("REFUSED: ").append(String.join("; ", plan.refusals())).append('\n');
        }
        if (plan.needsApproval()) {
            b.append(plan.approved() ? "Approved: " : "Needs approval: ").append(String.join("; ", plan.approvalReasons())).append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static String label(java.util.Set<ChangeClass> classes) {
        return classes.isEmpty() ? "no schema change" : classes.stream().map(ChangeClass::label).collect(Collectors.joining(", "));
    }
}
