package io.migrationrunbook.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.migrationrunbook.core.AtomicFile;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a database's schema looks like, read from the catalog: tables with their columns, indexes and constraints,
 * sequences and views, and (optionally) exact row counts per table. Every list is sorted (tables, sequences and views
 * by schema and name; columns by their position; indexes and constraints by name), and there is no capture time,
 * so two snapshots of an unchanged database are byte-identical JSON.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; a newer file is refused instead of misread
 * @param database      the database it was read from
 * @param serverVersion the server's {@code server_version}
 * @param schemas       the schemas it covers when it was restricted to some; absent means every non-system schema
 * @param rowCounts     exact row counts by qualified table name, when captured with row counts; absent otherwise
 */
public record SchemaSnapshot(int formatVersion, String database, String serverVersion, List<String> schemas,
                             List<Table> tables, List<Sequence> sequences, List<View> views,
                             SortedMap<String, Long> rowCounts) {

    public static final int FORMAT_VERSION = 1;

    public SchemaSnapshot {
        tables = sorted(tables, Comparator.comparing(Table::qualifiedName));
        sequences = sorted(sequences, Comparator.comparing(Sequence::qualifiedName));
        views = sorted(views, Comparator.comparing(View::qualifiedName));
        schemas = schemas == null || schemas.isEmpty() ? null : List.copyOf(schemas);
        rowCounts = rowCounts == null ? null : new TreeMap<>(rowCounts);
    }

    /** A table or partitioned table. Columns keep catalog order; indexes and constraints are sorted by name. */
    public record Table(String schema, String name, boolean partitioned, List<Column> columns, List<Index> indexes,
                        List<Constraint> constraints) {
        public Table {
            columns = sorted(columns, Comparator.comparingInt(Column::position).thenComparing(Column::name));
            indexes = sorted(indexes, Comparator.comparing(Index::name));
            constraints = sorted(constraints, Comparator.comparing(Constraint::name));
        }

        @JsonIgnore
        public String qualifiedName() {
            return qualify(schema, name);
        }

        public Optional<Column> column(String columnName) {
            return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
        }

        public Optional<Index> index(String indexName) {
            return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst();
        }

        public Optional<Constraint> constraint(String constraintName) {
            return constraints.stream().filter(c -> c.name().equals(constraintName)).findFirst();
        }
    }

    /**
     * @param position     the column's attnum: it survives a rename and is never reused, which is how a diff of two
     *                     snapshots of the same database tells a rename from a drop plus an add
     * @param type         as {@code format_type} prints it: {@code character varying(64)}, {@code timestamp with time zone}
     * @param defaultValue the default expression, absent when there is none
     * @param identity     {@code ALWAYS} or {@code BY DEFAULT} for an identity column, absent otherwise
     * @param generated    the expression of a stored generated column, absent otherwise
     */
    public record Column(String name, int position, String type, boolean nullable, String defaultValue, String identity,
                         String generated) {
    }

    /**
     * @param columns    key columns in index order (an expression index shows the expression)
     * @param definition {@code pg_get_indexdef}: method, INCLUDE columns, predicate
     * @param valid      false for an index left INVALID by a failed {@code CREATE INDEX CONCURRENTLY}: it takes write
     *                   overhead and is never used by queries
     */
    public record Index(String name, List<String> columns, String definition, boolean unique, boolean primary,
                        boolean valid) {
        public Index {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }
    }

    /**
     * @param type       PRIMARY KEY, FOREIGN KEY, UNIQUE, CHECK, EXCLUDE or TRIGGER
     * @param definition {@code pg_get_constraintdef}
     * @param validated  false for a constraint added {@code NOT VALID} and not yet validated
     */
    public record Constraint(String name, String type, String definition, boolean validated) {
    }

    /** @param ownedBy the {@code schema.table.column} the sequence belongs to (serial or identity), absent otherwise */
    public record Sequence(String schema, String name, String dataType, long increment, String ownedBy) {
        @JsonIgnore
        public String qualifiedName() {
            return qualify(schema, name);
        }
    }

    /** A view or materialized view, with its definition as {@code pg_get_viewdef} prints it. */
    public record View(String schema, String name, boolean materialized, String definition) {
        @JsonIgnore
        public String qualifiedName() {
            return qualify(schema, name);
        }
    }

    public static String qualify(String schema, String name) {
        return schema + "." + name;
    }

    public Optional<Table> table(String qualifiedName) {
        return tables.stream().filter(t -> t.qualifiedName().equals(qualifiedName)).findFirst();
    }

    /** Tables by qualified name, in sorted order. */
    public Map<String, Table> tablesByName() {
        Map<String, Table> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.qualifiedName(), t));
        return byName;
    }

    /** The same snapshot with only the objects of the given schemas (all of them when {@code schemaNames} is empty). */
    public SchemaSnapshot restrictedTo(List<String> schemaNames) {
        if (schemaNames == null || schemaNames.isEmpty()) {
            return this;
        }
        java.util.Set<String> keep = java.util.Set.copyOf(schemaNames);
        SortedMap<String, Long> counts = null;
        if (rowCounts != null) {
            counts = new TreeMap<>();
            for (Table t : tables) {
                if (keep.contains(t.schema()) && rowCounts.containsKey(t.qualifiedName())) {
                    counts.put(t.qualifiedName(), rowCounts.get(t.qualifiedName()));
                }
            }
        }
        return new SchemaSnapshot(formatVersion, database, serverVersion, schemaNames,
                tables.stream().filter(t -> keep.contains(t.schema())).toList(),
                sequences.stream().filter(s -> keep.contains(s.schema())).toList(),
                views.stream().filter(v -> keep.contains(v.schema())).toList(), counts);
    }

    public int columnCount() {
        return tables.stream().mapToInt(t -> t.columns().size()).sum();
    }

    public int indexCount() {
        return tables.stream().mapToInt(t -> t.indexes().size()).sum();
    }

    public int constraintCount() {
        return tables.stream().mapToInt(t -> t.constraints().size()).sum();
    }

    public String toJson() {
        return Json.writePretty(this);
    }

    /** Writes the snapshot under a temporary name and renames it into place, so a reader never sees half a file. */
    public void writeTo(Path file) {
        try {
            AtomicFile.write(file, toJson() + "\n");
        } catch (IOException e) {
            throw RunbookException.environment("Cannot write the snapshot to " + file + ": " + e.getMessage()
                    + ". Check that the directory exists and is writable.", e);
        }
    }

    public static SchemaSnapshot readFrom(Path file) {
        if (!Files.isRegularFile(file)) {
            throw RunbookException.configuration("The snapshot file " + file + " does not exist: capture one with "
                    + "`runbook snapshot --out " + file + "`.");
        }
        SchemaSnapshot snapshot;
        try {
            snapshot = Json.mapper().readValue(file.toFile(), SchemaSnapshot.class);
        } catch (JsonProcessingException e) {
            throw RunbookException.configuration("The snapshot file " + file + " is not a runbook snapshot: "
                    + e.getOriginalMessage() + ". Capture it with `runbook snapshot --out FILE`.");
        } catch (IOException e) {
            throw RunbookException.environment("Cannot read the snapshot file " + file + ": " + e.getMessage()
                    + ". Check that it is readable by this user.", e);
        }
        if (snapshot == null || snapshot.tables() == null) {
            throw RunbookException.configuration("The snapshot file " + file + " is empty or has no tables list: "
                    + "capture it with `runbook snapshot --out FILE`.");
        }
        if (snapshot.formatVersion() > FORMAT_VERSION) {
            throw RunbookException.configuration("The snapshot file " + file + " has format version " + snapshot.formatVersion()
                    + ", newer than this runbook understands (" + FORMAT_VERSION + "): upgrade the runbook.");
        }
        return snapshot;
    }

    private static <T> List<T> sorted(List<T> items, Comparator<T> order) {
        if (items == null) {
            return List.of();
        }
        List<T> copy = new ArrayList<>(items);
        copy.sort(order);
        return List.copyOf(copy);
    }
}
