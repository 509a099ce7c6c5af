package io.migrationrunbook.cli;

import io.migrationrunbook.backup.Restore;
import io.migrationrunbook.backup.RestoreResult;
import io.migrationrunbook.backup.RestoreSettings;
import io.migrationrunbook.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code runbook restore}: checksum first, restore into a new database (or replace one explicitly), compare row counts. */
@Command(name = "restore", description = "Restore a backup made by 'runbook backup': checks its SHA-256 against FILE.meta.json, restores into "
        + "a new database (default <db>_restored_<timestamp>) or, with --replace, swaps a verified copy in place of an existing "
        + "one, and compares every table's row count with the backup's.")
public class RestoreCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--from", paramLabel = "FILE", required = true, description = "The backup file or directory.")
    Path from;

    @Option(names = "--target-database", paramLabel = "NAME",
            description = "Database to restore into (default: new <db>_restored_<timestamp>; with --replace: the --db-url database).")
    String targetDatabase;

    @Option(names = "--replace", description = "Replace the target database if it exists (the old one is renamed aside, not dropped).")
    boolean replace;

    @Option(names = "--terminate-connections", description = "With --replace: disconnect sessions on the database being replaced.")
    boolean terminateConnections;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", description = "Parallel pg_restore jobs.")
    int jobs;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Directory holding pg_restore (default: $RUNBOOK_PG_BIN, then PATH).")
    Path pgBin;

    @Override
    protected Outcome run(Progress progress) {
        RestoreSettings settings = new RestoreSettings().from(from).targetDatabase(targetDatabase).replace(replace)
                .terminateConnections(terminateConnections).jobs(jobs).pgBin(pgBin);
        RestoreResult result = Restore.run(db.target(), settings, progress);
        String summary = result.passed()
                ? String.format("Restored %s into %s%s: %d tables, row counts equal the backup's (%d ms)", result.file(), result.database(),
                result.replaced() ? " (previous database kept as " + result.previousDatabaseKeptAs() + ")" : "",
                result.tablesCompared(), result.durationMs())
                : String.format("Restored %s into %s, but %d of %d tables differ from the backup: %s", result.file(), result.database(),
                result.mismatches().size(), result.tablesCompared(), result.mismatches());
        return Outcome.of(result, result.passed(), summary);
    }
}
