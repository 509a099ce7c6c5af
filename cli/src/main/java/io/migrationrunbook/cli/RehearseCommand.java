package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.rehearse.Rehearsal;
import io.migrationrunbook.rehearse.RehearsalResult;
import io.migrationrunbook.rehearse.RehearsalSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** {@code runbook rehearse}: the pending migrations run on a scratch copy, observed statement by statement. */
@Command(name = "rehearse", description = {
        "Rehearse the pending migrations on a scratch copy of the target (a restored --backup, or a schema-only dump with",
        "optional --sample-rows), with Flyway's transaction boundaries, statement by statement: the locks each took, tables",
        "rewritten, duration, rows. Diffs the catalog, classifies the release from those facts, flags ACCESS EXCLUSIVE",
        "phases longer than the lock budget and estimates the duration. The target is only read; the scratch database is",
        "dropped afterwards unless --keep. Exit 1 when a migration fails or a phase exceeds the budget."})
public class RehearseCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--locations", paramLabel = "LOCATION", split = ",", defaultValue = "filesystem:db/migration",
            description = "Flyway locations, comma-separated or repeated (default ${DEFAULT-VALUE}).")
    List<String> locations;

    @Option(names = "--target", paramLabel = "VERSION", description = "Rehearse up to this version (default: latest).")
    String target;

    @Option(names = "--schemas", paramLabel = "SCHEMA", split = ",", description = "Schemas Flyway manages; the first holds the history table.")
    List<String> schemas;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = MigrationSettings.DEFAULT_TABLE,
            description = "Schema history table (default ${DEFAULT-VALUE}).")
    String table;

    @Mixin
    PlaceholderOptions placeholders = new PlaceholderOptions();

    @Option(names = "--backup", paramLabel = "FILE", description = "Restore this backup (runbook backup) instead of dumping the target's schema.")
    Path backup;

    @Option(names = "--sample-rows", paramLabel = "N", defaultValue = "0",
            description = "With the schema-only dump: copy up to N rows of every table (default ${DEFAULT-VALUE}).")
    int sampleRows;

    @Option(names = "--scratch-url", paramLabel = "JDBC_URL",
            description = "Another server for the scratch database (same user and password; its database is used to CREATE DATABASE).")
    String scratchUrl;

    @Option(names = "--scratch-db", paramLabel = "NAME", description = "Name of the scratch database (default <target>_rehearsal_<stamp>); must not exist.")
    String scratchDb;

    @Option(names = "--keep", description = "Keep the scratch database afterwards (for inspection).")
    boolean keep;

    @Option(names = "--lock-budget", paramLabel = "DURATION",
            description = "Flag ACCESS EXCLUSIVE phases longer than this (default: --lock-timeout).")
    Duration lockBudget;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "2s",
            description = "The lock timeout migrate will use: the default lock budget (default ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "15m",
            description = "statement_timeout on the scratch database (default ${DEFAULT-VALUE}).")
    Duration statementTimeout;

    @Option(names = "--backfill-threshold", paramLabel = "ROWS", defaultValue = "" + LintSettings.DEFAULT_BACKFILL_ROWS,
            description = "A statement that changed more rows than this is a backfill (default ${DEFAULT-VALUE}).")
    long backfillThreshold;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Directory of pg_dump and pg_restore (default: RUNBOOK_PG_BIN or PATH).")
    Path pgBin;

    @Override
    protected Outcome run(Progress progress) {
        java.util.Map<String, String> values = placeholders.values();
        DatabaseTarget targetDb = db.target();
        MigrationSettings migrations = MigrationSettings.create().placeholders(values).locations(locations).target(target)
                .schemas(schemas == null ? List.of() : schemas).table(table).lockTimeout(lockTimeout).statementTimeout(statementTimeout);
        RehearsalSettings settings = RehearsalSettings.create().migrations(migrations).backup(backup).sampleRows(sampleRows)
                .scratchServer(scratchUrl == null ? null : new DatabaseTarget(scratchUrl, targetDb.user(), targetDb.password()))
                .scratchDatabase(scratchDb).keep(keep).lockBudget(lockBudget).pgBin(pgBin).backfillRowThreshold(backfillThreshold);
        RehearsalResult result = Rehearsal.of(targetDb, settings).run(progress);
        return Outcome.of(result, result.passed(), human(result));
    }

    static String human(RehearsalResult r) {
        StringBuilder b = new StringBuilder();
        b.append("Rehearsal of ").append(r.targetDatabase()).append(" on ").append(r.scratchDatabase()).append(" (").append(r.scratchServer())
                .append(", ").append(r.source()).append("): ").append(r.passed() ? "PASSED" : "FAILED").append('\n');
        for (RehearsalResult.RehearsedMigration m : r.migrations()) {
            b.append("  ").append(m.script()).append("  ").append(m.durationMs()).append(" ms").append(m.transactional() ? "" : "  (no transaction)")
                    .append(m.succeeded() ? "" : "  FAILED").append('\n');
            for (RehearsalResult.RehearsedStatement s : m.statements()) {
                b.append(String.format("    line %-4d %6d ms  %s%n", s.line(), s.durationMs(), s.statement()));
                if (!s.locks().isEmpty()) {
                    b.append("              locks: ").append(s.locks().stream().map(l -> l.mode() + " on " + l.relation())
                            .collect(Collectors.joining(", "))).append(s.lockSource().equals("sampled") ? " (sampled)" : "").append('\n');
                }
                if (!s.rewritten().isEmpty()) {
                    b.append("              REWRITTEN: ").append(String.join(", ", s.rewritten())).append('\n');
                }
                if (s.rowsAffected() != null) {
                    b.append("              rows: ").append(s.rowsAffected()).append('\n');
                }
                if (s.error() != null) {
                    b.append("              error: ").append(s.error()).append('\n');
                }
            }
        }
        for (RehearsalResult.LockPhase p : r.lockPhases()) {
            b.append(p.overBudget() ? "  OVER BUDGET " : "  ").append("ACCESS EXCLUSIVE on ").append(p.relation()).append(" for ")
                    .append(p.durationMs()).append(" ms (").append(p.migration()).append(":").append(p.line()).append(", budget ")
                    .append(r.lockBudgetMs()).append(" ms)\n");
        }
        b.append("Classified from the facts: ").append(r.classes().isEmpty() ? "no schema change"
                : r.classes().stream().map(ChangeClass::label).collect(Collectors.joining(", "))).append('\n');
        r.reasons().forEach(x -> b.append("  - ").append(x).append('\n'));
        b.append("Estimated duration: ").append(r.estimatedDurationMs()).append(" ms; window estimate: ").append(r.windowEstimate()).append('\n');
        if (r.failure() != null) {
            b.append("FAILURE: ").append(r.failure()).append('\n');
        }
        r.notes().forEach(n -> b.append("note: ").append(n).append('\n'));
        b.append(r.scratchDropped() ? "Scratch database dropped." : "Scratch database kept: " + r.scratchDatabase());
        return b.toString();
    }
}
