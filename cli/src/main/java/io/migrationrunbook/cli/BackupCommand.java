package io.migrationrunbook.cli;

import io.migrationrunbook.backup.Backup;
import io.migrationrunbook.backup.BackupFormat;
import io.migrationrunbook.backup.BackupResult;
import io.migrationrunbook.backup.BackupSettings;
import io.migrationrunbook.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** {@code runbook backup}: a verified pg_dump archive with SHA-256 and a metadata sidecar. */
@Command(name = "backup", description = "Back up the database with pg_dump (custom format, or directory format for --jobs), verify it with "
        + "pg_restore --list, record its SHA-256, Flyway version and row counts in FILE.meta.json. Never overwrites; a failed "
        + "backup leaves nothing behind.")
public class BackupCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Backup file (or directory, for --format directory) to create.")
    Path out;

    @Option(names = "--format", paramLabel = "custom|directory", defaultValue = "custom",
            description = "pg_dump archive format (default ${DEFAULT-VALUE}); --jobs > 1 needs directory.")
    String format;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1", description = "Parallel pg_dump jobs (directory format).")
    int jobs;

    @Option(names = "--keep", paramLabel = "N", description = "Keep only the newest N backups of this database in the directory.")
    Integer keep;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Directory holding pg_dump/pg_restore (default: $RUNBOOK_PG_BIN, then PATH).")
    Path pgBin;

    @Option(names = "--lock-wait-timeout", paramLabel = "DURATION",
            description = "Fail instead of waiting longer than this for a table lock: 30s, 2m (a bare number is seconds; default: wait).")
    Duration lockWaitTimeout;

    @Option(names = "--free-space-factor", paramLabel = "X", defaultValue = "1.1",
            description = "Free space required as a multiple of the database size (default ${DEFAULT-VALUE}; 0 = no check).")
    double freeSpaceFactor;

    @Override
    protected Outcome run(Progress progress) {
        BackupSettings settings = new BackupSettings().out(out).format(BackupFormat.parse(format, "--format")).jobs(jobs).keep(keep).pgBin(pgBin)
                .freeSpaceFactor(freeSpaceFactor)
                .lockWaitTimeout(lockWaitTimeout);
        BackupResult result = Backup.run(db.target(), settings, progress);
        return Outcome.passed(result, String.format("Backup %s: %d bytes, sha256 %s, %d tables verified, %d ms%s", result.file(),
                result.sizeBytes(), result.sha256(), result.tablesVerified(), result.durationMs(),
                result.removedByRetention().isEmpty() ? "" : ", " + result.removedByRetention().size() / 2 + " old backup(s) removed"));
    }
}
