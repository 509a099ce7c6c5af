package io.migrationrunbook.rehearse;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.migrate.MigrationSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Rehearsal} copies and runs. Fluent; {@link #check()} rejects bad values before anything changes.
 *
 * <p>Defaults: the copy is a schema-only dump of the target (plus the Flyway history rows) with no data; the scratch
 * database lives on the target's server and is dropped afterwards; the lock budget is the migrations' lock timeout
 * (an ACCESS EXCLUSIVE phase longer than that makes writers queue longer than {@code migrate} would let a DDL wait).
 */
public final class RehearsalSettings {

    private MigrationSettings migrations = MigrationSettings.create();
    private Path backup;
    private int sampleRows;
    private DatabaseTarget scratchServer;
    private String scratchDatabase;
    private boolean keep;
    private Duration lockBudget;
    private Path pgBin;
    private long backfillRowThreshold = LintSettings.DEFAULT_BACKFILL_ROWS;

    public static RehearsalSettings create() {
        return new RehearsalSettings();
    }

    public RehearsalSettings migrations(MigrationSettings value) {
        migrations = Objects.requireNonNull(value, "migrations");
        return this;
    }

    /** Restore this backup (a {@code runbook backup} archive with its sidecar) instead of dumping the target's schema. */
    public RehearsalSettings backup(Path value) {
        backup = value;
        return this;
    }

    /** With the schema-only dump: copy up to this many rows of every table (0: none). */
    public RehearsalSettings sampleRows(int value) {
        sampleRows = value;
        return this;
    }

    /** Another server for the scratch database (its URL names the database to connect to for CREATE DATABASE). */
    public RehearsalSettings scratchServer(DatabaseTarget value) {
        scratchServer = value;
        return this;
    }

    /** Name of the scratch database to create (default: {@code <target>_rehearsal_<stamp>}); must not exist. */
    public RehearsalSettings scratchDatabase(String value) {
        scratchDatabase = value == null || value.isBlank() ? null : value.trim();
        return this;
    }

    public RehearsalSettings keep(boolean value) {
        keep = value;
        return this;
    }

    /** The longest an ACCESS EXCLUSIVE phase may last before it is flagged (default: the migrations' lock timeout). */
    public RehearsalSettings lockBudget(Duration value) {
        lockBudget = value;
        return this;
    }

    public RehearsalSettings pgBin(Path value) {
        pgBin = value;
        return this;
    }

    public RehearsalSettings backfillRowThreshold(long value) {
        backfillRowThreshold = value;
        return this;
    }

    public MigrationSettings migrations() {
        return migrations;
    }

    public Path backup() {
        return backup;
    }

    public int sampleRows() {
        return sampleRows;
    }

    public DatabaseTarget scratchServer() {
        return scratchServer;
    }

    public String scratchDatabase() {
        return scratchDatabase;
    }

    public boolean keep() {
        return keep;
    }

    public Duration lockBudget() {
        return lockBudget == null ? migrations.lockTimeout() : lockBudget;
    }

    public Path pgBin() {
        return pgBin;
    }

    public long backfillRowThreshold() {
        return backfillRowThreshold;
    }

    public RehearsalSettings check() {
        migrations.check();
        if (sampleRows < 0) {
            throw RunbookException.configuration("--sample-rows must be zero or more.");
        }
        if (backup != null && sampleRows > 0) {
            throw RunbookException.configuration("--sample-rows applies to the schema-only dump; a backup already holds its data. "
                    + "Leave out one of --backup and --sample-rows.");
        }
        if (backup != null && !Files.isRegularFile(backup) && !Files.isDirectory(backup)) {
            throw RunbookException.configuration("Backup " + backup + " does not exist: pass a file written by runbook backup.");
        }
        if (scratchDatabase != null && (scratchDatabase.length() > 63 || !scratchDatabase.matches("[A-Za-z_][A-Za-z0-9_]*"))) {
            throw RunbookException.configuration("--scratch-db '" + scratchDatabase + "' must be a plain name of at most 63 letters, digits and underscores.");
        }
        Duration budget = lockBudget();
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw RunbookException.configuration("--lock-budget must be a positive duration (e.g. 2s).");
        }
        return this;
    }
}
