package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.migrate.RepairResult;
import io.migrationrunbook.migrate.Repairer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code runbook repair}: cleans up after a migration that failed outside a transaction, so migrate can run again. */
@Command(name = "repair", description = {
        "Clean up after a migration that failed outside a transaction (CREATE INDEX CONCURRENTLY): list the failed rows of the",
        "schema history and the INVALID indexes; with --apply drop the indexes the failed migration created (DROP INDEX",
        "CONCURRENTLY under lock_timeout, with lock-timeout retries) and remove the failed rows. A dry run by default:",
        "exit 1 when something needs repair, 0 when clean."})
public class RepairCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Mixin
    MigrationOptions migration;

    @Option(names = "--apply", description = "Perform the repair (default: a dry run that only reads and prints what it would do).")
    boolean apply;

    @Option(names = "--drop-all-invalid-indexes",
            description = "Also drop INVALID indexes no failed migration's script creates (default: listed and left alone).")
    boolean dropAllInvalidIndexes;

    @Option(names = "--realign-checksums", description = {
            "Also record the current checksums of applied migrations whose files changed (Flyway's repair). Refused by default:",
            "a changed applied migration is what validation is there to catch."})
    boolean realignChecksums;

    @Override
    protected Outcome run(Progress progress) {
        Repairer repairer = new Repairer(db.target(), migration.settings(null))
                .dropAllInvalidIndexes(dropAllInvalidIndexes).realignChecksums(realignChecksums);
        RepairResult result;
        if (apply) {
            result = repairer.apply(progress);
        } else {
            progress.report("Dry run: reading the schema history and the catalog; nothing will change (--apply repairs)");
            result = repairer.plan(progress);
        }
        return Outcome.of(result, result.passed(), summary(result));
    }

    static String summary(RepairResult result) {
        StringBuilder text = new StringBuilder();
        text.append(switch (result.status()) {
            case CLEAN -> "Nothing to repair on ";
            case NEEDS_REPAIR -> "Repair needed (dry run, nothing changed) on ";
            case REPAIRED -> "Repaired ";
            case REFUSED -> "Repaired what may be repaired, checksum realignment REFUSED on ";
            case FAILED -> "Repair FAILED on ";
        }).append(result.database()).append(" (history ").append(result.historyTable()).append(")");
        for (RepairResult.FailedEntry e : result.failedEntries()) {
            text.append("\nFAILED ENTRY ").append(e.version() == null ? "R" : "V" + e.version()).append("  ").append(e.description())
                    .append("  ").append(e.script()).append("  installed_on ").append(e.installedOn());
            if (!e.indexesCreated().isEmpty()) {
                text.append("  creates ").append(String.join(", ", e.indexesCreated()));
            }
        }
        for (RepairResult.IndexFinding i : result.invalidIndexes()) {
            text.append("\nINVALID INDEX ").append(i.schema()).append('.').append(i.index()).append(" on ").append(i.table())
                    .append(i.drop() ? (result.applied() ? "  -> drop: " : "  -> would drop: ") : "  -> ").append(i.reason())
                    .append("\n  ").append(i.definition());
        }
        for (RepairResult.ChecksumMismatch m : result.checksumMismatches()) {
            text.append("\nCHECKSUM MISMATCH V").append(m.version()).append(m.file() == null ? "" : "  " + m.file());
        }
        if (!result.actions().isEmpty()) {
            text.append(result.applied() ? "\nActions:" : "\nWould run (with --apply):");
            for (RepairResult.Action a : result.actions()) {
                text.append("\n  ").append(a.status()).append("  ").append(a.sql());
                if (a.durationMs() != null) {
                    text.append("  (").append(Progress.format(Duration.ofMillis(a.durationMs())))
                            .append(a.retries() == 0 ? "" : ", " + a.retries() + " lock-timeout retries").append(")");
                }
                if (a.message() != null) {
                    text.append("  ").append(a.message());
                }
            }
        }
        for (String warning : result.warnings()) {
            if (warning.startsWith("Invalid index ")) {
                continue; // said above, with the index
            }
            text.append("\nwarning: ").append(warning);
        }
        if (result.status() == RepairResult.Status.REPAIRED) {
            text.append("\nNext: fix the cause (the data, e.g. duplicate rows, or the migration), then run `runbook migrate` again.");
        }
        return text.toString();
    }
}
