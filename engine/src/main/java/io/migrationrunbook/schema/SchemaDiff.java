package io.migrationrunbook.schema;

import io.migrationrunbook.schema.SchemaSnapshot.Column;
import io.migrationrunbook.schema.SchemaSnapshot.Constraint;
import io.migrationrunbook.schema.SchemaSnapshot.Index;
import io.migrationrunbook.schema.SchemaSnapshot.Sequence;
import io.migrationrunbook.schema.SchemaSnapshot.Table;
import io.migrationrunbook.schema.SchemaSnapshot.View;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The differences between two snapshots, from {@code expected} (before the migration, or the models' schema) to
 * {@code actual} (after it, or the database). A pure function of the two snapshots: the verifier reports them as
 * drift (missing, extra, changed), the rehearsal classifies a migration by them (a dropped column is breaking whatever
 * the SQL looked like).
 *
 * <p>Renames are told apart from a drop plus an add by facts where they exist: a renamed column keeps its position
 * (attnum, never reused), so a dropped and an added column of the same table at the same position and type are one
 * rename. A table rename is inferred when a dropped and an added table have identical columns.
 */
public record SchemaDiff(List<Change> changes) {

    /** Which side has the object: MISSING = expected only, EXTRA = actual only, CHANGED = both but different. */
    public enum Drift { MISSING, EXTRA, CHANGED }

    public enum ChangeKind {
        TABLE_ADDED(Drift.EXTRA, false),
        TABLE_DROPPED(Drift.MISSING, true),
        TABLE_RENAMED(Drift.CHANGED, true),
        COLUMN_ADDED(Drift.EXTRA, false),
        COLUMN_DROPPED(Drift.MISSING, true),
        COLUMN_RENAMED(Drift.CHANGED, true),
        COLUMN_TYPE_CHANGED(Drift.CHANGED, true),
        /** Breaking when the column became NOT NULL (writers that omit it fail); not when it became nullable. */
        COLUMN_NULLABILITY_CHANGED(Drift.CHANGED, false),
        COLUMN_DEFAULT_CHANGED(Drift.CHANGED, false),
        COLUMN_IDENTITY_CHANGED(Drift.CHANGED, false),
        COLUMN_GENERATED_CHANGED(Drift.CHANGED, true),
        INDEX_ADDED(Drift.EXTRA, false),
        /** Added but INVALID: a failed CREATE INDEX CONCURRENTLY left it behind. */
        INDEX_ADDED_INVALID(Drift.EXTRA, false),
        INDEX_DROPPED(Drift.MISSING, false),
        INDEX_CHANGED(Drift.CHANGED, false),
        INDEX_BECAME_INVALID(Drift.CHANGED, false),
        INDEX_BECAME_VALID(Drift.CHANGED, false),
        /** New constraints can reject writes that were accepted before: breaking for writers. */
        CONSTRAINT_ADDED(Drift.EXTRA, true),
        /** Added NOT VALID: checked for new writes only, existing rows not yet validated. */
        CONSTRAINT_ADDED_NOT_VALIDATED(Drift.EXTRA, true),
        CONSTRAINT_DROPPED(Drift.MISSING, false),
        CONSTRAINT_CHANGED(Drift.CHANGED, true),
        CONSTRAINT_VALIDATED(Drift.CHANGED, false),
        CONSTRAINT_NO_LONGER_VALIDATED(Drift.CHANGED, false),
        SEQUENCE_ADDED(Drift.EXTRA, false),
        SEQUENCE_DROPPED(Drift.MISSING, true),
        SEQUENCE_CHANGED(Drift.CHANGED, false),
        VIEW_ADDED(Drift.EXTRA, false),
        VIEW_DROPPED(Drift.MISSING, true),
        VIEW_CHANGED(Drift.CHANGED, false);

        private final Drift drift;
        private final boolean breaking;

        ChangeKind(Drift drift, boolean breaking) {
            this.drift = drift;
            this.breaking = breaking;
        }

        public Drift drift() {
            return drift;
        }
    }

    /**
     * One difference.
     *
     * @param kind     what changed
     * @param drift    MISSING, EXTRA or CHANGED (from {@code kind})
     * @param table    the qualified table it concerns ({@code schema.table}), absent for sequences and views
     * @param object   the object's qualified name: {@code schema.table}, {@code schema.table.column}, {@code schema.index}, ...
     * @param expected the relevant property in the expected snapshot (type, definition, ...), absent when missing there
     * @param actual   the same property in the actual snapshot, absent when missing there
     * @param breaking whether existing readers or writers of the schema can break (drops, renames, type changes,
     *                 SET NOT NULL, new constraints)
     * @param message  one sentence an operator reads
     */
    public record Change(ChangeKind kind, Drift drift, String table, String object, String expected, String actual,
                         boolean breaking, String message) {
    }

    public static SchemaDiff between(SchemaSnapshot expected, SchemaSnapshot actual) {
        List<Change> changes = new ArrayList<>();
        Map<String, Table> before = expected.tablesByName();
        Map<String, Table> after = actual.tablesByName();
        List<Table> dropped = before.values().stream().filter(t -> !after.containsKey(t.qualifiedName())).collect(Collectors.toList());
        List<Table> added = after.values().stream().filter(t -> !before.containsKey(t.qualifiedName())).collect(Collectors.toList());
        for (Table old : List.copyOf(dropped)) {
            Optional<Table> renamed = added.stream().filter(t -> t.schema().equals(old.schema()) && sameColumns(old, t)).findFirst();
            if (renamed.isPresent()) {
                dropped.remove(old);
                added.remove(renamed.get());
                changes.add(change(ChangeKind.TABLE_RENAMED, old.qualifiedName(), old.qualifiedName(), old.qualifiedName(),
                        renamed.get().qualifiedName(), "table " + old.qualifiedName() + " was renamed to "
                                + renamed.get().qualifiedName() + "? (dropped, and a table with identical columns added)"));
                compareTables(old, renamed.get(), changes);
            }
        }
        dropped.forEach(t -> changes.add(change(ChangeKind.TABLE_DROPPED, t.qualifiedName(), t.qualifiedName(), t.qualifiedName(), null,
                "table " + t.qualifiedName() + " is missing")));
        added.forEach(t -> changes.add(change(ChangeKind.TABLE_ADDED, t.qualifiedName(), t.qualifiedName(), null, t.qualifiedName(),
                "table " + t.qualifiedName() + " is extra (" + t.columns().size() + " columns)")));
        for (Table old : before.values()) {
            Table now = after.get(old.qualifiedName());
            if (now != null) {
                compareTables(old, now, changes);
            }
        }
        compareSequences(expected.sequences(), actual.sequences(), changes);
        compareViews(expected.views(), actual.views(), changes);
        return new SchemaDiff(List.copyOf(changes));
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public boolean hasBreakingChanges() {
        return changes.stream().anyMatch(Change::breaking);
    }

    /** The changes about one table (its columns, indexes, constraints, and the table itself). */
    public List<Change> forTable(String qualifiedTable) {
        return changes.stream().filter(c -> qualifiedTable.equals(c.table())).toList();
    }

    /** The same diff without objects that exist only in the actual snapshot (verify's {@code --ignore-extra}). */
    public SchemaDiff withoutExtras() {
        return new SchemaDiff(changes.stream().filter(c -> c.drift() != Drift.EXTRA).toList());
    }

    /** Changes inside a table are filed under its expected name (the old one after a rename). */
    private static void compareTables(Table old, Table now, List<Change> changes) {
        String table = old.qualifiedName();
        compareColumns(table, old, now, changes);
        compareIndexes(table, old, now, changes);
        compareConstraints(table, old, now, changes);
    }

    private static void compareColumns(String table, Table old, Table now, List<Change> changes) {
        Map<String, Column> before = byName(old.columns(), Column::name);
        Map<String, Column> after = byName(now.columns(), Column::name);
        List<Column> dropped = old.columns().stream().filter(c -> !after.containsKey(c.name())).collect(Collectors.toList());
        List<Column> added = now.columns().stream().filter(c -> !before.containsKey(c.name())).collect(Collectors.toList());
        Set<Column> renamedTo = new HashSet<>();
        for (Column gone : dropped) {
            Optional<Column> renamed = added.stream()
                    .filter(c -> c.position() == gone.position() && c.type().equals(gone.type()) && !renamedTo.contains(c))
                    .findFirst();
            if (renamed.isPresent()) {
                renamedTo.add(renamed.get());
                changes.add(change(ChangeKind.COLUMN_RENAMED, table, table + "." + gone.name(), gone.name(), renamed.get().name(),
                        "column " + table + "." + gone.name() + " was renamed to " + renamed.get().name()
                                + " (same position " + gone.position() + " and type " + gone.type() + ")"));
                compareColumn(table, gone, renamed.get(), changes);
            } else {
                changes.add(change(ChangeKind.COLUMN_DROPPED, table, table + "." + gone.name(), gone.type(), null,
                        "column " + table + "." + gone.name() + " (" + gone.type() + ") is missing"));
            }
        }
        added.stream().filter(c -> !renamedTo.contains(c)).forEach(c -> changes.add(change(ChangeKind.COLUMN_ADDED, table,
                table + "." + c.name(), null, describe(c), "column " + table + "." + c.name() + " (" + describe(c) + ") is extra")));
        for (Column was : old.columns()) {
            Column is = after.get(was.name());
            if (is != null) {
                compareColumn(table, was, is, changes);
            }
        }
    }

    private static void compareColumn(String table, Column was, Column is, List<Change> changes) {
        String object = table + "." + is.name();
        if (!was.type().equals(is.type())) {
            changes.add(change(ChangeKind.COLUMN_TYPE_CHANGED, table, object, was.type(), is.type(),
                    "column " + object + " changed type from " + was.type() + " to " + is.type()));
        }
        if (was.nullable() != is.nullable()) {
            changes.add(new Change(ChangeKind.COLUMN_NULLABILITY_CHANGED, Drift.CHANGED, table, object, nullability(was),
                    nullability(is), !is.nullable(), "column " + object + " changed from " + nullability(was) + " to " + nullability(is)));
        }
        if (!Objects.equals(was.defaultValue(), is.defaultValue())) {
            changes.add(change(ChangeKind.COLUMN_DEFAULT_CHANGED, table, object, was.defaultValue(), is.defaultValue(),
                    "column " + object + " default changed from " + orNone(was.defaultValue()) + " to " + orNone(is.defaultValue())));
        }
        if (!Objects.equals(was.identity(), is.identity())) {
            changes.add(change(ChangeKind.COLUMN_IDENTITY_CHANGED, table, object, was.identity(), is.identity(),
                    "column " + object + " identity changed from " + orNone(was.identity()) + " to " + orNone(is.identity())));
        }
        if (!Objects.equals(was.generated(), is.generated())) {
            changes.add(change(ChangeKind.COLUMN_GENERATED_CHANGED, table, object, was.generated(), is.generated(),
                    "column " + object + " generation expression changed from " + orNone(was.generated()) + " to " + orNone(is.generated())));
        }
    }

    private static void compareIndexes(String table, Table old, Table now, List<Change> changes) {
        Map<String, Index> before = byName(old.indexes(), Index::name);
        Map<String, Index> after = byName(now.indexes(), Index::name);
        for (Index was : old.indexes()) {
            String object = SchemaSnapshot.qualify(now.schema(), was.name());
            Index is = after.get(was.name());
            if (is == null) {
                changes.add(change(ChangeKind.INDEX_DROPPED, table, object, was.definition(), null,
                        "index " + object + " on " + table + " is missing"));
                continue;
            }
            if (!Objects.equals(normalizeIndex(was.definition(), old), normalizeIndex(is.definition(), now))) {
                changes.add(change(ChangeKind.INDEX_CHANGED, table, object, was.definition(), is.definition(),
                        "index " + object + " changed definition"));
            }
            if (was.valid() && !is.valid()) {
                changes.add(change(ChangeKind.INDEX_BECAME_INVALID, table, object, "valid", "INVALID",
                        "index " + object + " is INVALID (a failed CREATE INDEX CONCURRENTLY): drop it and build it again"));
            } else if (!was.valid() && is.valid()) {
                changes.add(change(ChangeKind.INDEX_BECAME_VALID, table, object, "INVALID", "valid",
                        "index " + object + " was INVALID and is now valid"));
            }
        }
        for (Index is : now.indexes()) {
            if (!before.containsKey(is.name())) {
                String object = SchemaSnapshot.qualify(now.schema(), is.name());
                changes.add(is.valid()
                        ? change(ChangeKind.INDEX_ADDED, table, object, null, is.definition(), "index " + object + " on " + table + " is extra")
                        : change(ChangeKind.INDEX_ADDED_INVALID, table, object, null, is.definition(), "index " + object + " on "
                        + table + " is extra and INVALID (a failed CREATE INDEX CONCURRENTLY): drop it and build it again"));
            }
        }
    }

    private static void compareConstraints(String table, Table old, Table now, List<Change> changes) {
        Map<String, Constraint> before = byName(old.constraints(), Constraint::name);
        Map<String, Constraint> after = byName(now.constraints(), Constraint::name);
        for (Constraint was : old.constraints()) {
            String object = table + "." + was.name();
            Constraint is = after.get(was.name());
            if (is == null) {
                changes.add(change(ChangeKind.CONSTRAINT_DROPPED, table, object, was.definition(), null,
                        was.type() + " constraint " + object + " is missing"));
                continue;
            }
            if (!Objects.equals(stripNotValid(was.definition()), stripNotValid(is.definition()))) {
                changes.add(change(ChangeKind.CONSTRAINT_CHANGED, table, object, was.definition(), is.definition(),
                        "constraint " + object + " changed from " + was.definition() + " to " + is.definition()));
            }
            if (was.validated() && !is.validated()) {
                changes.add(change(ChangeKind.CONSTRAINT_NO_LONGER_VALIDATED, table, object, "validated", "NOT VALID",
                        "constraint " + object + " is NOT VALID: existing rows are not checked (run ALTER TABLE ... VALIDATE CONSTRAINT)"));
            } else if (!was.validated() && is.validated()) {
                changes.add(change(ChangeKind.CONSTRAINT_VALIDATED, table, object, "NOT VALID", "validated",
                        "constraint " + object + " was NOT VALID and is now validated"));
            }
        }
        for (Constraint is : now.constraints()) {
            if (!before.containsKey(is.name())) {
                String object = table + "." + is.name();
                changes.add(is.validated()
                        ? change(ChangeKind.CONSTRAINT_ADDED, table, object, null, is.definition(),
                        is.type() + " constraint " + object + " is extra")
                        : change(ChangeKind.CONSTRAINT_ADDED_NOT_VALIDATED, table, object, null, is.definition(),
                        is.type() + " constraint " + object + " is extra and NOT VALID (existing rows not checked yet)"));
            }
        }
    }

    private static void compareSequences(List<Sequence> expected, List<Sequence> actual, List<Change> changes) {
        Map<String, Sequence> before = byName(expected, Sequence::qualifiedName);
        Map<String, Sequence> after = byName(actual, Sequence::qualifiedName);
        for (Sequence was : expected) {
            Sequence is = after.get(was.qualifiedName());
            if (is == null) {
                changes.add(change(ChangeKind.SEQUENCE_DROPPED, null, was.qualifiedName(), was.dataType(), null,
                        "sequence " + was.qualifiedName() + " is missing"));
            } else if (!was.equals(is)) {
                changes.add(change(ChangeKind.SEQUENCE_CHANGED, null, was.qualifiedName(), describe(was), describe(is),
                        "sequence " + was.qualifiedName() + " changed from " + describe(was) + " to " + describe(is)));
            }
        }
        actual.stream().filter(s -> !before.containsKey(s.qualifiedName())).forEach(s -> changes.add(change(
                ChangeKind.SEQUENCE_ADDED, null, s.qualifiedName(), null, describe(s), "sequence " + s.qualifiedName() + " is extra")));
    }

    private static void compareViews(List<View> expected, List<View> actual, List<Change> changes) {
        Map<String, View> before = byName(expected, View::qualifiedName);
        Map<String, View> after = byName(actual, View::qualifiedName);
        for (View was : expected) {
            View is = after.get(was.qualifiedName());
            if (is == null) {
                changes.add(change(ChangeKind.VIEW_DROPPED, null, was.qualifiedName(), was.definition(), null,
                        (was.materialized() ? "materialized view " : "view ") + was.qualifiedName() + " is missing"));
            } else if (!was.equals(is)) {
                changes.add(change(ChangeKind.VIEW_CHANGED, null, was.qualifiedName(), was.definition(), is.definition(),
                        "view " + was.qualifiedName() + " changed definition"));
            }
        }
        actual.stream().filter(v -> !before.containsKey(v.qualifiedName())).forEach(v -> changes.add(change(
                ChangeKind.VIEW_ADDED, null, v.qualifiedName(), null, v.definition(),
                (v.materialized() ? "materialized view " : "view ") + v.qualifiedName() + " is extra")));
    }

    private static Change change(ChangeKind kind, String table, String object, String expected, String actual, String message) {
        return new Change(kind, kind.drift(), table, object, expected, actual, kind.breaking, message);
    }

    private static boolean sameColumns(Table a, Table b) {
        if (a.columns().size() != b.columns().size()) {
            return false;
        }
        for (int i = 0; i < a.columns().size(); i++) {
            Column x = a.columns().get(i);
            Column y = b.columns().get(i);
            if (!x.name().equals(y.name()) || !x.type().equals(y.type()) || x.nullable() != y.nullable()) {
                return false;
            }
        }
        return !a.columns().isEmpty();
    }

    /** An index definition names its table; after a table rename that alone is no index change. */
    private static String normalizeIndex(String definition, Table table) {
        return definition == null ? null : definition.replace(" ON " + table.schema() + "." + table.name() + " ", " ON <table> ")
                .replace(" ON ONLY " + table.schema() + "." + table.name() + " ", " ON ONLY <table> ");
    }

    private static String stripNotValid(String definition) {
        return definition == null ? null : definition.replaceAll(" NOT VALID$", "");
    }

    private static String describe(Column c) {
        return c.type() + (c.nullable() ? "" : " NOT NULL") + (c.defaultValue() == null ? "" : " DEFAULT " + c.defaultValue());
    }

    private static String describe(Sequence s) {
        return s.dataType() + " INCREMENT " + s.increment() + (s.ownedBy() == null ? "" : " OWNED BY " + s.ownedBy());
    }

    private static String nullability(Column c) {
        return c.nullable() ? "NULL" : "NOT NULL";
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(i -> map.put(name.apply(i), i));
        return map;
    }
}
