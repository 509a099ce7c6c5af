package io.migrationrunbook.cli;

import io.migrationrunbook.migrate.Placeholders;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --placeholder NAME=VALUE} (repeatable): Flyway placeholder values, the same on every command that reads or
 * runs the migrations (migrate, precheck, rehearse, lint, classify). Parsed before anything connects: a malformed one
 * is exit 2. Values are not echoed in progress output.
 */
public class PlaceholderOptions {

    @Option(names = "--placeholder", paramLabel = "NAME=VALUE",
            description = "Flyway placeholder value: ${NAME} in the migrations becomes VALUE (repeat for each placeholder).")
    List<String> placeholders = new ArrayList<>();

    /** The values by name; throws a CONFIGURATION error (exit 2) for a malformed argument. */
    public Map<String, String> values() {
        return Placeholders.parse(placeholders);
    }
}
