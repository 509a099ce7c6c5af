package io.migrationrunbook.backup;

import io.migrationrunbook.core.RunbookException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link Backup#run} does, Flyway style: {@code new BackupSettings().out(path).format(DIRECTORY).jobs(4).keep(7)}.
 * Defaults: custom format, one job, no retention, tools from {@code RUNBOOK_PG_BIN} or the PATH, free space required
 * 1.1 × {@code pg_database_size}, pg_dump waits for table locks as long as it takes, progress every second.
 */
public final class BackupSettings {

    private Path out;
    private BackupFormat format = BackupFormat.CUSTOM;
    private int jobs = 1;
    private Integer keep;
    private Path pgBin;
    private double freeSpaceFactor = 1.1;
    private Duration lockWaitTimeout;
    private Duration progressInterval = Duration.ofSeconds(1);

    /** The backup file (custom format) or directory (directory format) to create; it must not exist. */
    public BackupSettings out(Path out) {
        this.out = out;
        return this;
    }

    public BackupSettings format(BackupFormat format) {
        this.format = format;
        return this;
    }

    /** Parallel pg_dump workers; more than one needs the directory format. */
    public BackupSettings jobs(int jobs) {
        this.jobs = jobs;
        return this;
    }

    /** After a successful backup, keep only the newest {@code keep} backups of the same database in its directory. */
    public BackupSettings keep(Integer keep) {
        this.keep = keep;
        return this;
    }

    /** Directory holding pg_dump and pg_restore (else {@code RUNBOOK_PG_BIN}, else the PATH). */
    public BackupSettings pgBin(Path pgBin) {
        this.pgBin = pgBin;
        return this;
    }

    /**
     * Free space required in the destination, as a multiple of {@code pg_database_size} (which includes indexes and
     * bloat that a dump does not hold, so 1.1 is conservative for compressed dumps). 0 skips the check.
     */
    public BackupSettings freeSpaceFactor(double freeSpaceFactor) {
        this.freeSpaceFactor = freeSpaceFactor;
        return this;
    }

    /** pg_dump's {@code --lock-wait-timeout}: fail instead of queueing behind a long exclusive lock. Null waits. */
    public BackupSettings lockWaitTimeout(Duration lockWaitTimeout) {
        this.lockWaitTimeout = lockWaitTimeout;
        return this;
    }

    /** How often progress reports the bytes written so far. */
    public BackupSettings progressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
        return this;
    }

    public Path out() {
        return out;
    }

    public BackupFormat format() {
        return format;
    }

    public int jobs() {
        return jobs;
    }

    public Integer keep() {
        return keep;
    }

    public Path pgBin() {
        return pgBin;
    }

    public double freeSpaceFactor() {
        return freeSpaceFactor;
    }

    public Duration lockWaitTimeout() {
        return lockWaitTimeout;
    }

    public Duration progressInterval() {
        return progressInterval;
    }

    /** Rejects bad input before anything runs. */
    void validate() {
        if (out == null) {
            throw RunbookException.configuration("No backup destination: pass --out FILE.");
        }
        if (format == null) {
            throw RunbookException.configuration("No backup format: use custom or directory.");
        }
        if (jobs < 1) {
            throw RunbookException.configuration("--jobs must be at least 1, got " + jobs + ".");
        }
        if (jobs > 1 && format != BackupFormat.DIRECTORY) {
            throw RunbookException.configuration("pg_dump writes in parallel only in the directory format: pass --format directory "
                    + "with --jobs " + jobs + " (or drop --jobs for a single custom-format file).");
        }
        if (keep != null && keep < 1) {
            throw RunbookException.configuration("--keep must be at least 1 (the backup just made is always kept), got " + keep + ".");
        }
        if (freeSpaceFactor < 0) {
            throw RunbookException.configuration("The free space factor must be 0 (no check) or more, got " + freeSpaceFactor + ".");
        }
        if (lockWaitTimeout != null && (lockWaitTimeout.isNegative() || lockWaitTimeout.isZero())) {
            throw RunbookException.configuration("--lock-wait-timeout must be positive, got " + lockWaitTimeout + ".");
        }
        if (out.getFileName() == null) {
            throw RunbookException.configuration("--out must name a file, got '" + out + "'.");
        }
    }
}
