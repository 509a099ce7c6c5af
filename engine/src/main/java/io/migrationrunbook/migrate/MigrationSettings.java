package io.migrationrunbook.migrate;

import io.migrationrunbook.core.RunbookException;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Migrator} applies and how carefully: Flyway locations and target, the session timeouts every
 * migration runs under, and the lock-timeout retry budget. Fluent like Flyway's own configuration; {@link #check()}
 * rejects bad values before anything connects.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code lockTimeout} 2 s: a DDL statement waiting for its lock makes every later query on the table queue behind
 *   it. 2 s bounds that stall for writers to well under typical client and health-check timeouts, yet lets a brief
 *   ACCESS EXCLUSIVE lock through on a busy table (pgroll uses 500 ms; strong_migrations 10 s).</li>
 *   <li>{@code statementTimeout} 15 min: stops a runaway statement (an unplanned table rewrite, a backfill that should
 *   have been a batch job) instead of holding locks for hours; raise it for a large {@code CREATE INDEX CONCURRENTLY}.</li>
 *   <li>{@code lockRetries} 5 with backoff from 1 s doubling to at most 30 s, with jitter: about half a minute of
 *   waiting for a long transaction to finish, each attempt stalling writers at most one lock timeout.</li>
 * </ul>
 */
public final class MigrationSettings {

    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(15);
    public static final int DEFAULT_LOCK_RETRIES = 5;
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(30);
    public static final String DEFAULT_TABLE = "flyway_schema_history";

    private List<String> locations = new ArrayList<>(List.of("filesystem:db/migration"));
    private String target;
    private List<String> schemas = new ArrayList<>();
    private String table = DEFAULT_TABLE;
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private int lockRetries = DEFAULT_LOCK_RETRIES;
    private Duration retryBaseDelay = DEFAULT_RETRY_BASE_DELAY;
    private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
    private Map<String, String> placeholders = new LinkedHashMap<>();

    public static MigrationSettings create() {
        return new MigrationSettings();
    }

    /** Flyway locations: {@code filesystem:DIR} (a bare path means the same) or {@code classpath:PACKAGE}. */
    public MigrationSettings locations(String... locations) {
        return locations(List.of(locations));
    }

    public MigrationSettings locations(List<String> locations) {
        this.locations = new ArrayList<>(Objects.requireNonNull(locations, "locations"));
        return this;
    }

    /** Stop at this version (Flyway's {@code target}: a version, {@code latest}, {@code current} or {@code next}); null for latest. */
    public MigrationSettings target(String target) {
        this.target = target == null || target.isBlank() ? null : target.trim();
        return this;
    }

    /** Schemas Flyway manages; the first holds the history table. Empty: the connection's current schema. */
    public MigrationSettings schemas(String... schemas) {
        return schemas(List.of(schemas));
    }

    public MigrationSettings schemas(List<String> schemas) {
        this.schemas = new ArrayList<>(Objects.requireNonNull(schemas, "schemas"));
        return this;
    }

    /** The schema history table's name. */
    public MigrationSettings table(String table) {
        this.table = table;
        return this;
    }

    public MigrationSettings lockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
        return this;
    }

    public MigrationSettings statementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
        return this;
    }

    /** How often a migration that failed on a lock timeout is tried again (0: never). */
    public MigrationSettings lockRetries(int lockRetries) {
        this.lockRetries = lockRetries;
        return this;
    }

    /** First backoff delay after a lock timeout; doubles per retry up to {@link #retryMaxDelay(Duration)}, with jitter. */
    public MigrationSettings retryBaseDelay(Duration retryBaseDelay) {
        this.retryBaseDelay = retryBaseDelay;
        return this;
    }

    public MigrationSettings retryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
        return this;
    }

    /**
     * Flyway placeholders: {@code ${name}} in the migrations is replaced by the value (Flyway's {@code placeholders};
     * replacement is on, prefix {@code ${}, suffix {@code }}). Names are case-insensitive; a placeholder a pending
     * migration uses without a value is refused before anything runs. Flyway's built-ins ({@code ${flyway:defaultSchema}},
     * ...) need no value. Replaces any placeholders set before.
     */
    public MigrationSettings placeholders(Map<String, String> placeholders) {
        this.placeholders = new LinkedHashMap<>(placeholders == null ? Map.of() : placeholders);
        return this;
    }

    /** One placeholder, as {@code --placeholder name=value}. */
    public MigrationSettings placeholder(String name, String value) {
        this.placeholders.put(name, value);
        return this;
    }

    public List<String> locations() {
        return List.copyOf(locations);
    }

    /** The placeholder values, in the order given (unmodifiable). */
    public Map<String, String> placeholders() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placeholders));
    }

    public String target() {
        return target;
    }

    public List<String> schemas() {
        return List.copyOf(schemas);
    }

    public String table() {
        return table;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    public int lockRetries() {
        return lockRetries;
    }

    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(lockRetries, retryBaseDelay, retryMaxDelay);
    }

    /**
     * Rejects values that cannot work, naming the option and the fix. Does not look at the disk or the database:
     * {@link MigrationLocations#resolve(MigrationSettings)} checks the locations themselves.
     */
    public MigrationSettings check() {
        if (locations.isEmpty() || locations.stream().anyMatch(l -> l == null || l.isBlank())) {
            throw RunbookException.configuration("No migration location given: pass --locations filesystem:DIR (or classpath:PACKAGE).");
        }
        if (target != null) {
            try {
                MigrationVersion.fromVersion(target);
            } catch (FlywayException | IllegalArgumentException e) {
                throw RunbookException.configuration("--target '" + target + "' is not a Flyway version: use digits separated by dots "
                        + "or underscores (e.g. 2, 2.1, 2024_05_01), or latest, current, next.");
            }
        }
        for (String schema : schemas) {
            if (schema == null || !schema.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
                throw RunbookException.configuration("--schemas '" + schema + "' is not a plain schema name: use letters, digits and underscores.");
            }
        }
        if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
            throw RunbookException.configuration("--table '" + table + "' is not a plain table name: use letters, digits and underscores "
                    + "(default " + DEFAULT_TABLE + ").");
        }
        Placeholders.check(placeholders, "--placeholder");
        positive(lockTimeout, "--lock-timeout", "e.g. 2s; a migration without a lock timeout can stall every writer behind it");
        positive(statementTimeout, "--statement-timeout", "e.g. 15min");
        if (lockTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw RunbookException.configuration("--lock-timeout " + lockTimeout.toMillis() + " ms is longer than a minute: every writer "
                    + "queues behind a waiting DDL statement for up to that long. Use a few seconds and rely on --lock-retries.");
        }
        if (lockRetries < 0 || lockRetries > 100) {
            throw RunbookException.configuration("--lock-retries must be between 0 and 100, got " + lockRetries + ".");
        }
        positive(retryBaseDelay, "retry base delay", "e.g. 1s");
        if (retryMaxDelay == null || retryMaxDelay.compareTo(retryBaseDelay) < 0) {
            throw RunbookException.configuration("The retry maximum delay must be at least the base delay (" + retryBaseDelay.toMillis() + " ms).");
        }
        return this;
    }

    private static void positive(Duration value, String option, String hint) {
        if (value == null || value.isNegative() || value.isZero() || value.toMillis() < 1) {
            throw RunbookException.configuration(option + " must be a positive duration (" + hint + ").");
        }
    }

    @Override
    public String toString() {
        return "MigrationSettings[locations=" + locations + ", target=" + target + ", schemas=" + schemas + ", table=" + table
                + ", lockTimeout=" + lockTimeout + ", statementTimeout=" + statementTimeout + ", lockRetries=" + lockRetries + ", placeholders=" + placeholders.keySet() + "]";
    }
}
