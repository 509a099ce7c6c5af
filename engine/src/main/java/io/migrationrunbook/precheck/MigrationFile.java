package io.migrationrunbook.precheck;

import org.flywaydb.core.api.MigrationVersion;
import io.migrationrunbook.migrate.MigrationLocations;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .sql} file found in a migration location, read by Flyway's default naming rules: versioned
 * {@code V<version>__<description>.sql}, repeatable {@code R__<description>.sql}, or an SQL callback named after a Flyway
 * event ({@code afterMigrate.sql}, {@code beforeEachMigrate__note.sql}). Anything else Flyway refuses
 * ({@code validateMigrationNaming}).
 *
 * @param path        where it is
 * @param name        file name
 * @param kind        what Flyway makes of it
 * @param version     the version as written with dots ({@code 1.2}) for a versioned file, else null
 * @param description the description with underscores as spaces, or null
 * @param problem     why Flyway would refuse the name, or null
 */
public record MigrationFile(String path, String name, Kind kind, String version, String description, String problem) {

    public enum Kind { VERSIONED, REPEATABLE, CALLBACK, INVALID }

    private static final Pattern VERSIONED = Pattern.compile("V([^_]*(?:_(?!_)[^_]*)*)__(.*)\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__(.*)\\.sql");
    private static final Pattern VERSION = Pattern.compile("\\d+([._]\\d+)*");

    public static MigrationFile of(String path, String name) {
        if (MigrationLocations.isSqlCallback(name)) {
            return new MigrationFile(path, name, Kind.CALLBACK, null, null, null);
        }
        Matcher v = VERSIONED.matcher(name);
        if (v.matches()) {
            String version = v.group(1);
            String description = v.group(2).replace('_', ' ').trim();
            if (!VERSION.matcher(version).matches()) {
                return invalid(path, name, "version '" + version + "' is not digits separated by dots or underscores (V1__, V1.2__, V2024_05_01__)");
            }
            if (description.isEmpty()) {
                return invalid(path, name, "has no description after '__'");
            }
            return new MigrationFile(path, name, Kind.VERSIONED, version.replace('_', '.'), description, null);
        }
        Matcher r = REPEATABLE.matcher(name);
        if (r.matches()) {
            String description = r.group(1).replace('_', ' ').trim();
            return description.isEmpty() ? invalid(path, name, "has no description after 'R__'")
                    : new MigrationFile(path, name, Kind.REPEATABLE, null, description, null);
        }
        if (name.startsWith("V") || name.startsWith("v")) {
            return invalid(path, name, name.contains("__") ? "is not V<version>__<description>.sql"
                    : "lacks the double underscore between version and description (V<version>__<description>.sql)");
        }
        return invalid(path, name, "is neither V<version>__<description>.sql, R__<description>.sql nor a Flyway callback (afterMigrate.sql ...)");
    }

    private static MigrationFile invalid(String path, String name, String problem) {
        return new MigrationFile(path, name, Kind.INVALID, null, null, problem);
    }


    /** Flyway's version, for comparing ({@code 1.0} equals {@code 1}), or null. */
    public MigrationVersion flywayVersion() {
        return version == null ? null : MigrationVersion.fromVersion(version);
    }

    /** Lower-case file name, for sorting output stably. */
    String sortKey() {
        return name.toLowerCase(Locale.ROOT);
    }
}
