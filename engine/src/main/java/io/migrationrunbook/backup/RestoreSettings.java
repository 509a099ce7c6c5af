package io.migrationrunbook.backup;

import io.migrationrunbook.core.RunbookException;

import java.nio.file.Path;

/**
 * What {@link Restore#run} does: {@code new RestoreSettings().from(path)} restores into a new database
 * {@code <db>_restored_<timestamp>}; {@code .targetDatabase(name)} names it; {@code .replace(true)} replaces an
 * existing database (the connection's database unless a target is named), which is refused while sessions are
 * connected to it unless {@code .terminateConnections(true)}.
 */
public final class RestoreSettings {

    private Path from;
    private String targetDatabase;
    private boolean replace;
    private boolean terminateConnections;
    private int jobs = 1;
    private Path pgBin;
    private java.time.Duration progressInterval = java.time.Duration.ofSeconds(2);

    /** The backup file or directory; its sidecar {@code FILE.meta.json} must be next to it. */
    public RestoreSettings from(Path from) {
        this.from = from;
        return this;
    }

    public RestoreSettings targetDatabase(String targetDatabase) {
        this.targetDatabase = targetDatabase;
        return this;
    }

    public RestoreSettings replace(boolean replace) {
        this.replace = replace;
        return this;
    }

    public RestoreSettings terminateConnections(boolean terminateConnections) {
        this.terminateConnections = terminateConnections;
        return this;
    }

    /** Parallel pg_restore jobs. */
    public RestoreSettings jobs(int jobs) {
        this.jobs = jobs;
        return this;
    }

    public RestoreSettings pgBin(Path pgBin) {
        this.pgBin = pgBin;
        return this;
    }

    /** How often progress reports the size of the database being restored. */
    public RestoreSettings progressInterval(java.time.Duration progressInterval) {
        this.progressInterval = progressInterval;
        return this;
    }

    public java.time.Duration progressInterval() {
        return progressInterval;
    }

    public Path from() {
        return from;
    }

    public String targetDatabase() {
        return targetDatabase;
    }

    public boolean replace() {
        return replace;
    }

    public boolean terminateConnections() {
        return terminateConnections;
    }

    public int jobs() {
        return jobs;
    }

    public Path pgBin() {
        return pgBin;
    }

    void validate() {
        if (from == null) {
            throw RunbookException.configuration("No backup to restore: pass --from FILE.");
        }
        if (jobs < 1) {
            throw RunbookException.configuration("--jobs must be at least 1, got " + jobs + ".");
        }
        if (progressInterval == null || progressInterval.isNegative() || progressInterval.isZero()) {
            throw RunbookException.configuration("The progress interval must be positive.");
        }
        if (targetDatabase != null && (targetDatabase.isBlank() || targetDatabase.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63)) {
            throw RunbookException.configuration("--target-database must be a PostgreSQL name of 1 to 63 bytes, got '" + targetDatabase + "'.");
        }
        if (terminateConnections && !replace) {
            throw RunbookException.configuration("--terminate-connections only applies with --replace.");
        }
    }
}
