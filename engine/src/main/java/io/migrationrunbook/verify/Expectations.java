package io.migrationrunbook.verify;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The expectations file of {@code runbook verify --expect}: what the schema must look like after the migration.
 * Every key is optional; an unknown key is a configuration error naming it (a typo must not silently check nothing).
 * See docs/verify.md for the format and an example.
 *
 * @param tables    by name ({@code table} in schema {@code public} or anywhere unique, or {@code schema.table})
 * @param sequences sequences that must exist
 * @param views     views or materialized views that must exist
 * @param flyway    the expected Flyway schema version
 * @param integrity named SQL queries that must return zero rows
 */
public record Expectations(Map<String, TableExpectation> tables, List<String> sequences, List<String> views,
                           FlywayExpectation flyway, List<IntegrityAssertion> integrity) {

    public Expectations {
        Map<String, TableExpectation> copy = new LinkedHashMap<>();
        if (tables != null) {
            tables.forEach((name, t) -> copy.put(name, t == null ? TableExpectation.EXISTS : t));
        }
        tables = java.util.Collections.unmodifiableMap(copy);
        sequences = nonNull(sequences);
        views = nonNull(views);
        integrity = nonNull(integrity);
    }

    public static Expectations none() {
        return new Expectations(null, null, null, null, null);
    }

    /**
     * @param absent        true: the table must NOT exist (after a drop); nothing else may be given then
     * @param columns       columns that must exist, by name or with {@code type} / {@code nullable} / {@code default}
     * @param absentColumns columns that must NOT exist (after a drop)
     * @param indexes       indexes that must exist and be valid, by name or with {@code unique} / {@code columns}
     * @param constraints   constraints that must exist and be validated, by name or with {@code type} / {@code validated}
     */
    public record TableExpectation(Boolean absent, List<ColumnExpectation> columns, List<String> absentColumns,
                                   List<IndexExpectation> indexes, List<ConstraintExpectation> constraints) {
        static final TableExpectation EXISTS = new TableExpectation(null, null, null, null, null);

        public TableExpectation {
            columns = nonNull(columns);
            absentColumns = nonNull(absentColumns);
            indexes = nonNull(indexes);
            constraints = nonNull(constraints);
        }

        public boolean mustBeAbsent() {
            return Boolean.TRUE.equals(absent);
        }
    }

    /**
     * A column that must exist. Written as a bare name, or as an object.
     *
     * @param type     as {@code format_type} prints it or a common alias ({@code varchar(64)}, {@code int},
     *                 {@code timestamptz}); absent = any type
     * @param nullable absent = either
     * @param defaultValue the default expression as PostgreSQL prints it ({@code 0}, {@code now()}); absent = any
     */
    public record ColumnExpectation(String name, String type, Boolean nullable,
                                    @JsonProperty("default") String defaultValue) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public ColumnExpectation {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static ColumnExpectation named(String name) {
            return new ColumnExpectation(name, null, null, null);
        }
    }

    /**
     * An index that must exist and be valid (not left INVALID by a failed concurrent build).
     *
     * @param unique  absent = either
     * @param columns the key columns in order; absent = any
     */
    public record IndexExpectation(String name, Boolean unique, List<String> columns) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public IndexExpectation {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static IndexExpectation named(String name) {
            return new IndexExpectation(name, null, null);
        }
    }

    /**
     * A constraint that must exist.
     *
     * @param type      PRIMARY KEY, FOREIGN KEY, UNIQUE, CHECK or EXCLUDE; absent = any
     * @param validated default true: the constraint must be validated (not left NOT VALID); false accepts either
     */
    public record ConstraintExpectation(String name, String type, Boolean validated) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public ConstraintExpectation {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static ConstraintExpectation named(String name) {
            return new ConstraintExpectation(name, null, null);
        }

        public boolean mustBeValidated() {
            return !Boolean.FALSE.equals(validated);
        }
    }

    /** @param table the schema history table, default {@code flyway_schema_history} */
    public record FlywayExpectation(String version, String table) {
    }

    public boolean isEmpty() {
        return tables.isEmpty() && sequences.isEmpty() && views.isEmpty() && flyway == null && integrity.isEmpty();
    }

    /** Reads and checks an expectations file; every problem is a configuration error that names the key and the file. */
    public static Expectations read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw RunbookException.configuration("The expectations file " + file + " does not exist: pass an existing YAML file "
                    + "to --expect (format in docs/verify.md).");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw RunbookException.environment("Cannot read the expectations file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static Expectations parse(String yaml, String source) {
        Expectations expectations;
        try {
            expectations = Json.yaml().readValue(yaml, Expectations.class);
        } catch (UnrecognizedPropertyException e) {
            String where = path(e);
            throw RunbookException.configuration("Unknown key '" + e.getPropertyName() + "' in " + source
                    + (where.isEmpty() ? "" : " under '" + where + "'") + keyLocation(yaml, e.getPropertyName(), e)
                    + ". Allowed keys there: " + known(e.getKnownPropertyIds()) + " (see docs/verify.md).");
        } catch (JsonMappingException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content to map")) {
                throw empty(source);
            }
            String where = path(e);
            throw RunbookException.configuration("Invalid value in " + source + (where.isEmpty() ? "" : " at '" + where + "'")
                    + location(e) + ": " + describeProblem(e) + ". See docs/verify.md for the format.");
        } catch (JsonProcessingException e) {
            throw RunbookException.configuration("The expectations file " + source + " is not valid YAML" + location(e) + ": "
                    + firstLine(e.getOriginalMessage()) + ".");
        }
        if (expectations == null) {
            throw empty(source);
        }
        expectations.validate(source);
        return expectations;
    }

    private static RunbookException empty(String source) {
        return RunbookException.configuration("The expectations file " + source + " is empty: give at least one of "
                + "tables, sequences, views, flyway, integrity (see docs/verify.md).");
    }

    /** The line where an unknown key is written: Jackson's location is where buffering stopped, often lines later. */
    private static String keyLocation(String yaml, String key, JsonProcessingException e) {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^[\\s-]*[\"']?" + java.util.regex.Pattern.quote(key) + "[\"']?\\s*:");
        String[] lines = yaml.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (line.matcher(lines[i]).find()) {
                return " (line " + (i + 1) + ")";
            }
        }
        return location(e);
    }

    private void validate(String source) {
        tables.forEach((name, table) -> {
            if (table.mustBeAbsent() && (!table.columns().isEmpty() || !table.indexes().isEmpty()
                    || !table.constraints().isEmpty() || !table.absentColumns().isEmpty())) {
                throw RunbookException.configuration("Table '" + name + "' in " + source + " has 'absent: true' and also "
                        + "columns, indexes or constraints: an absent table has none. Remove one of them.");
            }
            table.columns().forEach(c -> requireName(c.name(), "tables." + name + ".columns", source));
            table.indexes().forEach(i -> requireName(i.name(), "tables." + name + ".indexes", source));
            table.constraints().forEach(c -> requireName(c.name(), "tables." + name + ".constraints", source));
        });
        if (flyway != null && (flyway.version() == null || flyway.version().isBlank())) {
            throw RunbookException.configuration("'flyway' in " + source + " needs a 'version' (e.g. flyway: { version: \"7\" }).");
        }
        for (int i = 0; i < integrity.size(); i++) {
            IntegrityAssertion assertion = integrity.get(i);
            if (assertion == null || assertion.sql() == null || assertion.sql().isBlank()) {
                throw RunbookException.configuration("integrity[" + i + "] in " + source + " has no 'sql': each entry needs "
                        + "a query that must return zero rows (and optionally a 'name').");
            }
        }
    }

    private static void requireName(String name, String where, String source) {
        if (name == null || name.isBlank()) {
            throw RunbookException.configuration("An entry of '" + where + "' in " + source + " has no 'name'.");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        // the last element is the offending key itself for an unknown key
        if (e instanceof UnrecognizedPropertyException u) {
            String suffix = "." + u.getPropertyName();
            String text = path.toString();
            if (text.endsWith(suffix)) {
                return text.substring(0, text.length() - suffix.length());
            }
            if (text.equals(u.getPropertyName())) {
                return "";
            }
            return text;
        }
        return path.toString();
    }

    /** The line of the offending token (the exception's own location is where the parser stopped, often a line later). */
    private static String location(JsonProcessingException e) {
        com.fasterxml.jackson.core.JsonLocation where = e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p
                ? p.currentTokenLocation() : e.getLocation();
        if (where == null || where.getLineNr() < 1) {
            where = e.getLocation();
        }
        return where == null || where.getLineNr() < 1 ? "" : " (line " + where.getLineNr() + ")";
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }

    private static String describeProblem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            Class<?> type = m.getTargetType();
            String expected = Map.class.isAssignableFrom(type) || type.isRecord() ? "a mapping (key: value)"
                    : Collection.class.isAssignableFrom(type) ? "a list"
                    : type == Boolean.class || type == boolean.class ? "true or false"
                    : type == String.class ? "a text value" : type.getSimpleName();
            return "expected " + expected;
        }
        return firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }
}
