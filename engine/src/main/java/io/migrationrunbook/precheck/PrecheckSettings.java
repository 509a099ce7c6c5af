package io.migrationrunbook.precheck;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.policy.ReleasePolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Precheck} checks and how strictly. Fluent like {@link MigrationSettings}; {@link #check()} rejects bad
 * values before anything connects.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code longTransactionThreshold} 1 min: a transaction (or an idle-in-transaction session) older than that is not
 *   a web request; DDL on a table it holds a lock on queues behind it, and every later query queues behind the DDL.</li>
 *   <li>{@code backupSpaceFactor} 1.0: a {@code pg_dump} archive (compressed, no index data) is smaller than
 *   {@code pg_database_size}, so free space of at least the database size is a safe margin.</li>
 * </ul>
 */
public final class PrecheckSettings {

    public static final Duration DEFAULT_LONG_TRANSACTION = Duration.ofMinutes(1);

    private MigrationSettings migrations = MigrationSettings.create();
    private Duration longTransactionThreshold = DEFAULT_LONG_TRANSACTION;
    private Path backupDirectory;
    private double backupSpaceFactor = 1.0;
    private DescriptionRule descriptionRule = DescriptionRule.defaults();
    private ReleasePolicy policy = ReleasePolicy.defaults();
    private boolean approveBreaking;
    private long backfillRowThreshold = LintSettings.DEFAULT_BACKFILL_ROWS;

    public static PrecheckSettings create() {
        return new PrecheckSettings();
    }

    /** The Flyway locations, target, schemas and history table: the same settings {@code migrate} will use. */
    public PrecheckSettings migrations(MigrationSettings value) {
        migrations = Objects.requireNonNull(value, "migrations");
        return this;
    }

    public PrecheckSettings longTransactionThreshold(Duration value) {
        longTransactionThreshold = value;
        return this;
    }

    /** Where the backup will be written; null skips the free-space check. */
    public PrecheckSettings backupDirectory(Path value) {
        backupDirectory = value;
        return this;
    }

    /** Free space needed in the backup directory, as a multiple of the database size. */
    public PrecheckSettings backupSpaceFactor(double value) {
        backupSpaceFactor = value;
        return this;
    }

    public PrecheckSettings descriptionRule(DescriptionRule value) {
        descriptionRule = Objects.requireNonNull(value, "descriptionRule");
        return this;
    }

    public PrecheckSettings policy(ReleasePolicy value) {
        policy = Objects.requireNonNull(value, "policy");
        return this;
    }

    /** Breaking changes were approved (CLI {@code --approve-breaking}); otherwise they show as needing approval. */
    public PrecheckSettings approveBreaking(boolean value) {
        approveBreaking = value;
        return this;
    }

    public PrecheckSettings backfillRowThreshold(long value) {
        backfillRowThreshold = value;
        return this;
    }

    public MigrationSettings migrations() {
        return migrations;
    }

    public Duration longTransactionThreshold() {
        return longTransactionThreshold;
    }

    public Path backupDirectory() {
        return backupDirectory;
    }

    public double backupSpaceFactor() {
        return backupSpaceFactor;
    }

    public DescriptionRule descriptionRule() {
        return descriptionRule;
    }

    public ReleasePolicy policy() {
        return policy;
    }

    public boolean approveBreaking() {
        return approveBreaking;
    }

    public long backfillRowThreshold() {
        return backfillRowThreshold;
    }

    public PrecheckSettings check() {
        migrations.check();
        if (longTransactionThreshold == null || longTransactionThreshold.isNegative() || longTransactionThreshold.isZero()) {
            throw RunbookException.configuration("--long-transaction must be a positive duration (e.g. 1m).");
        }
        if (!(backupSpaceFactor > 0) || backupSpaceFactor > 1_000_000) {
            throw RunbookException.configuration("--backup-space-factor must be above 0 (1.0 = free space of at least the database size), got "
                    + backupSpaceFactor + ".");
        }
        if (descriptionRule.minWords() < 0 || descriptionRule.minLength() < 0) {
            throw RunbookException.configuration("--min-description-words must not be negative.");
        }
        if (backfillRowThreshold < 0) {
            throw RunbookException.configuration("--backfill-threshold must not be negative.");
        }
        return this;
    }
}
