package io.migrationrunbook.cli;

import io.migrationrunbook.migrate.MigrationSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/**
 * The Flyway and session-safety options shared by the commands that change the schema ({@code migrate}, {@code repair}):
 * where the migrations are, their placeholder values, which schemas and history table, and the lock_timeout / statement_timeout / lock-timeout retry
 * discipline every statement runs under.
 */
public class MigrationOptions {

    @Option(names = "--locations", paramLabel = "LOCATION", split = ",", defaultValue = "filesystem:db/migration",
            description = "Flyway locations, comma-separated or repeated: filesystem:DIR or classpath:PACKAGE (default ${DEFAULT-VALUE}).")
    List<String> locations;

    @Mixin
    PlaceholderOptions placeholders = new PlaceholderOptions();

    @Option(names = "--schemas", paramLabel = "SCHEMA", split = ",",
            description = "Schemas Flyway manages; the first holds the history table (default: the user's current schema).")
    List<String> schemas;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = MigrationSettings.DEFAULT_TABLE,
            description = "Schema history table (default ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "2s",
            description = "lock_timeout for every statement that changes the schema: the longest any writer queues behind a waiting DDL lock (default ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "15m",
            description = "statement_timeout for every statement that changes the schema (default ${DEFAULT-VALUE}); raise it for big CREATE INDEX CONCURRENTLY.")
    Duration statementTimeout;

    @Option(names = "--lock-retries", paramLabel = "N", defaultValue = "5",
            description = "Retries of a statement that hit the lock timeout and changed nothing (a transactional migration, DROP INDEX CONCURRENTLY) (default ${DEFAULT-VALUE}).")
    int lockRetries;

    @Option(names = "--retry-delay", paramLabel = "DURATION", defaultValue = "1s",
            description = "First backoff delay between retries; doubles each retry up to --retry-max-delay, with jitter (default ${DEFAULT-VALUE}).")
    Duration retryDelay;

    @Option(names = "--retry-max-delay", paramLabel = "DURATION", defaultValue = "30s",
            description = "Longest backoff delay (default ${DEFAULT-VALUE}).")
    Duration retryMaxDelay;

    /** The settings these options give, checked (bad input fails here, before any connection). */
    MigrationSettings settings(String target) {
        return MigrationSettings.create().placeholders(placeholders.values()).locations(locations).target(target)
                .schemas(schemas == null ? List.of() : schemas).table(table)
                .lockTimeout(lockTimeout).statementTimeout(statementTimeout).lockRetries(lockRetries)
                .retryBaseDelay(retryDelay).retryMaxDelay(retryMaxDelay)
                .check();
    }
}
