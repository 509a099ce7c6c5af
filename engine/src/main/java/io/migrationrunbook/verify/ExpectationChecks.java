package io.migrationrunbook.verify;

import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SchemaSnapshot.Column;
import io.migrationrunbook.schema.SchemaSnapshot.Constraint;
import io.migrationrunbook.schema.SchemaSnapshot.Index;
import io.migrationrunbook.schema.SchemaSnapshot.Table;
import io.migrationrunbook.verify.Expectations.ColumnExpectation;
import io.migrationrunbook.verify.Expectations.ConstraintExpectation;
import io.migrationrunbook.verify.Expectations.IndexExpectation;
import io.migrationrunbook.verify.Expectations.TableExpectation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns an expectations file into checks against a snapshot of the database: a pure function. */
public final class ExpectationChecks {

    static final String CATEGORY = "expectation";

    /** Short spellings people write in expectations, mapped to what {@code format_type} prints. */
    private static final Map<String, String> TYPE_ALIASES = Map.ofEntries(
            Map.entry("varchar", "character varying"), Map.entry("char", "character"), Map.entry("bpchar", "character"),
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("int8", "bigint"), Map.entry("int2", "smallint"),
            Map.entry("serial", "integer"), Map.entry("bigserial", "bigint"), Map.entry("smallserial", "smallint"),
            Map.entry("bool", "boolean"), Map.entry("float8", "double precision"), Map.entry("float", "double precision"),
            Map.entry("float4", "real"), Map.entry("decimal", "numeric"),
            Map.entry("timestamptz", "timestamp with time zone"), Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timetz", "time with time zone"), Map.entry("time", "time without time zone"),
            Map.entry("varbit", "bit varying"));

    private static final Pattern TYPE = Pattern.compile("^([a-z0-9_ ]+?)\\s*(\\(.*\\))?(\\[\\])?$");

    private ExpectationChecks() {
    }

    public static List<Check> check(Expectations expectations, SchemaSnapshot actual) {
        List<Check> checks = new ArrayList<>();
        expectations.tables().forEach((name, table) -> checkTable(name, table, actual, checks));
        for (String sequence : expectations.sequences()) {
            String qualified = qualify(sequence);
            boolean found = actual.sequences().stream().anyMatch(s -> matches(s.schema(), s.name(), qualified, sequence));
            checks.add(found ? Check.passed(CATEGORY, "sequence " + sequence + " exists", "found")
                    : Check.failed(CATEGORY, "sequence " + sequence + " exists", "sequence " + sequence + " is missing"));
        }
        for (String view : expectations.views()) {
            String qualified = qualify(view);
            boolean found = actual.views().stream().anyMatch(v -> matches(v.schema(), v.name(), qualified, view));
            checks.add(found ? Check.passed(CATEGORY, "view " + view + " exists", "found")
                    : Check.failed(CATEGORY, "view " + view + " exists", "view " + view + " is missing"));
        }
        return checks;
    }

    private static void checkTable(String name, TableExpectation expected, SchemaSnapshot actual, List<Check> checks) {
        Optional<Table> found = resolve(name, actual);
        if (expected.mustBeAbsent()) {
            String check = "table " + name + " is absent";
            checks.add(found.isEmpty() ? Check.passed(CATEGORY, check, "no such table")
                    : Check.failed(CATEGORY, check, "table " + found.get().qualifiedName() + " still exists"));
            return;
        }
        String tableCheck = "table " + name + " exists";
        List<String> sameName = name.contains(".") ? List.of()
                : actual.tables().stream().filter(t -> t.name().equals(name)).map(Table::qualifiedName).toList();
        if (found.isEmpty() && sameName.size() > 1) {
            checks.add(Check.failed(CATEGORY, tableCheck, "table name " + name + " is ambiguous: " + String.join(", ", sameName)
                    + "; write schema.table in the expectations"));
        } else if (found.isEmpty()) {
            checks.add(Check.failed(CATEGORY, tableCheck, "table " + name + " is missing"));
        } else {
            checks.add(Check.passed(CATEGORY, tableCheck, found.get().qualifiedName()));
        }
        String missing = "table " + name + " is missing";
        for (ColumnExpectation column : expected.columns()) {
            String check = "column " + name + "." + column.name() + describe(column);
            checks.add(found.map(t -> checkColumn(check, t, column)).orElse(Check.failed(CATEGORY, check, missing)));
        }
        for (String column : expected.absentColumns()) {
            String check = "column " + name + "." + column + " is absent";
            checks.add(found.map(t -> t.column(column).isPresent()
                            ? Check.failed(CATEGORY, check, "column " + column + " still exists (" + t.column(column).get().type() + ")")
                            : Check.passed(CATEGORY, check, "no such column"))
                    .orElse(Check.failed(CATEGORY, check, missing)));
        }
        for (IndexExpectation index : expected.indexes()) {
            String check = "index " + index.name() + " on " + name + " exists and is valid" + describe(index);
            checks.add(found.map(t -> checkIndex(check, t, index)).orElse(Check.failed(CATEGORY, check, missing)));
        }
        for (ConstraintExpectation constraint : expected.constraints()) {
            String check = "constraint " + constraint.name() + " on " + name + " exists"
                    + (constraint.mustBeValidated() ? " and is validated" : "")
                    + (constraint.type() == null ? "" : " (" + constraint.type().toUpperCase(Locale.ROOT) + ")");
            checks.add(found.map(t -> checkConstraint(check, t, constraint)).orElse(Check.failed(CATEGORY, check, missing)));
        }
    }

    private static Check checkColumn(String check, Table table, ColumnExpectation expected) {
        Optional<Column> found = table.column(expected.name());
        if (found.isEmpty()) {
            return Check.failed(CATEGORY, check, "column " + expected.name() + " is missing from " + table.qualifiedName()
                    + " (it has " + table.columns().stream().map(Column::name).toList() + ")");
        }
        Column column = found.get();
        List<String> differences = new ArrayList<>();
        if (expected.type() != null && !normalizeType(expected.type()).equals(normalizeType(column.type()))) {
            differences.add("type is " + column.type() + ", expected " + expected.type());
        }
        if (expected.nullable() != null && expected.nullable() != column.nullable()) {
            differences.add(column.nullable() ? "column is nullable, expected NOT NULL" : "column is NOT NULL, expected nullable");
        }
        if (expected.defaultValue() != null && !expected.defaultValue().trim().equals(column.defaultValue())) {
            differences.add("default is " + (column.defaultValue() == null ? "none" : column.defaultValue())
                    + ", expected " + expected.defaultValue().trim());
        }
        if (!differences.isEmpty()) {
            return Check.failed(CATEGORY, check, String.join("; ", differences));
        }
        return Check.passed(CATEGORY, check, column.type() + (column.nullable() ? "" : " NOT NULL")
                + (column.defaultValue() == null ? "" : " DEFAULT " + column.defaultValue()));
    }

    private static Check checkIndex(String check, Table table, IndexExpectation expected) {
        Optional<Index> found = table.index(expected.name());
        if (found.isEmpty()) {
            return Check.failed(CATEGORY, check, "index " + expected.name() + " is missing from " + table.qualifiedName()
                    + " (it has " + table.indexes().stream().map(Index::name).toList() + ")");
        }
        Index index = found.get();
        List<String> differences = new ArrayList<>();
        if (!index.valid()) {
            differences.add("index is INVALID (a failed CREATE INDEX CONCURRENTLY left it): DROP INDEX CONCURRENTLY it and build it again");
        }
        if (expected.unique() != null && expected.unique() != index.unique()) {
            differences.add(index.unique() ? "index is unique, expected non-unique" : "index is not unique, expected unique");
        }
        if (expected.columns() != null && !expected.columns().equals(index.columns())) {
            differences.add("index columns are " + index.columns() + ", expected " + expected.columns());
        }
        return differences.isEmpty() ? Check.passed(CATEGORY, check, index.definition())
                : Check.failed(CATEGORY, check, String.join("; ", differences));
    }

    private static Check checkConstraint(String check, Table table, ConstraintExpectation expected) {
        Optional<Constraint> found = table.constraint(expected.name());
        if (found.isEmpty()) {
            return Check.failed(CATEGORY, check, "constraint " + expected.name() + " is missing from " + table.qualifiedName()
                    + " (it has " + table.constraints().stream().map(Constraint::name).toList() + ")");
        }
        Constraint constraint = found.get();
        List<String> differences = new ArrayList<>();
        if (expected.mustBeValidated() && !constraint.validated()) {
            differences.add("constraint is NOT VALID (existing rows unchecked): run ALTER TABLE " + table.qualifiedName()
                    + " VALIDATE CONSTRAINT " + constraint.name());
        }
        if (expected.type() != null && !expected.type().trim().equalsIgnoreCase(constraint.type())) {
            differences.add("constraint type is " + constraint.type() + ", expected " + expected.type().trim().toUpperCase(Locale.ROOT));
        }
        return differences.isEmpty() ? Check.passed(CATEGORY, check, constraint.definition())
                : Check.failed(CATEGORY, check, String.join("; ", differences));
    }

    /** {@code schema.table} as given; a bare name in {@code public}, else the only table of that name in any schema. */
    static Optional<Table> resolve(String name, SchemaSnapshot snapshot) {
        if (name.contains(".")) {
            return snapshot.table(name);
        }
        Optional<Table> inPublic = snapshot.table("public." + name);
        if (inPublic.isPresent()) {
            return inPublic;
        }
        List<Table> candidates = snapshot.tables().stream().filter(t -> t.name().equals(name)).toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    private static String qualify(String name) {
        return name.contains(".") ? name : null;
    }

    private static boolean matches(String schema, String objectName, String qualified, String given) {
        return qualified != null ? qualified.equals(schema + "." + objectName) : objectName.equals(given);
    }

    /** Lower case, single spaces, aliases expanded: {@code VARCHAR(64)} and {@code character varying(64)} are equal. */
    static String normalizeType(String type) {
        String text = type.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("\\s*,\\s*", ",");
        Matcher m = TYPE.matcher(text);
        if (!m.matches()) {
            return text;
        }
        String base = TYPE_ALIASES.getOrDefault(m.group(1).trim(), m.group(1).trim());
        String modifier = m.group(2) == null ? "" : m.group(2).replace(" ", "");
        // timestamp(3) with time zone: format_type puts the precision inside
        if (modifier.isEmpty() && base.matches("(timestamp|time)\\(\\d+\\) with(out)? time zone")) {
            return base + (m.group(3) == null ? "" : "[]");
        }
        if (!modifier.isEmpty() && (base.startsWith("timestamp ") || base.startsWith("time "))) {
            String[] parts = base.split(" ", 2);
            return parts[0] + modifier + " " + parts[1] + (m.group(3) == null ? "" : "[]");
        }
        return base + modifier + (m.group(3) == null ? "" : "[]");
    }

    private static String describe(ColumnExpectation column) {
        List<String> parts = new ArrayList<>();
        if (column.type() != null) {
            parts.add(column.type());
        }
        if (column.nullable() != null) {
            parts.add(column.nullable() ? "nullable" : "NOT NULL");
        }
        if (column.defaultValue() != null) {
            parts.add("default " + column.defaultValue());
        }
        return parts.isEmpty() ? " exists" : " exists (" + String.join(", ", parts) + ")";
    }

    private static String describe(IndexExpectation index) {
        List<String> parts = new ArrayList<>();
        if (Boolean.TRUE.equals(index.unique())) {
            parts.add("unique");
        }
        if (index.columns() != null) {
            parts.add("on " + String.join(", ", index.columns()));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
}
