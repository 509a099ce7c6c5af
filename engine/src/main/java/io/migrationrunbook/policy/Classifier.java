package io.migrationrunbook.policy;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.ColumnDefinition;
import io.migrationrunbook.lint.DefaultExpressions;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RowEstimate;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.SqlType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies statements from what they do, independent of lint suppressions (a waived rename is still breaking):
 * non-breaking (additive), breaking, locking, backfill, and whether the write path is affected. Only changes to
 * existing tables count as breaking or locking: a table created earlier in the same file has no readers yet.
 */
public final class Classifier {

    private Classifier() {
    }

    /** The change a statement makes, or null when it makes none that matters (SET, GRANT, SELECT ...). */
    public static ClassifiedChange classify(ParsedStatement s, RuleContext context) {
        Builder b = new Builder();
        boolean existing = context.isExistingTable(s.table());
        switch (s.kind()) {
            case CREATE_TABLE, CREATE_TABLE_AS, CREATE_VIEW, CREATE_FUNCTION, CREATE_TYPE ->
                    b.add(ChangeClass.NON_BREAKING, "creates " + what(s));
            case CREATE_OTHER -> {
                if (!"ROLE".equals(s.objectType()) && !"USER".equals(s.objectType())) {
                    b.add(ChangeClass.NON_BREAKING, "creates a " + s.objectType().toLowerCase(Locale.ROOT));
                }
            }
            case CREATE_TRIGGER -> {
                b.add(ChangeClass.NON_BREAKING, "creates a trigger");
                if (existing) {
                    b.writes("a new trigger on " + s.table() + " changes what writes do");
                }
            }
            case CREATE_INDEX -> {
                b.add(ChangeClass.NON_BREAKING, "creates index" + (s.concurrently() ? " concurrently" : "") + " on " + s.table());
                if (existing && !s.concurrently()) {
                    b.add(ChangeClass.LOCKING, "CREATE INDEX without CONCURRENTLY holds SHARE on " + s.table()
                            + " (writes blocked) for the whole build");
                }
                if (existing && s.unique()) {
                    b.writes("a unique index on " + s.table() + " rejects duplicate writes");
                }
            }
            case ALTER_TYPE -> {
                if (s.has("ADD_VALUE")) {
                    b.add(ChangeClass.NON_BREAKING, "adds an enum value");
                } else if (s.has("RENAME") || s.has("DROP")) {
                    b.add(ChangeClass.BREAKING, "renames or drops part of type " + first(s));
                }
            }
            case ALTER_OTHER -> {
                if (s.has("RENAME")) {
                    b.add(ChangeClass.BREAKING, "renames " + (s.objectType() == null ? "an object" : s.objectType().toLowerCase(Locale.ROOT)));
                }
            }
            case DROP -> drop(s, context, b);
            case TRUNCATE -> {
                if (existing) {
                    b.add(ChangeClass.BREAKING, "TRUNCATE " + String.join(", ", s.names()) + " deletes every row");
                }
            }
            case ALTER_TABLE -> {
                if (existing) {
                    for (AlterAction a : s.actions()) {
                        alter(s, a, context, b);
                    }
                } else {
                    b.add(ChangeClass.NON_BREAKING, "alters " + s.table() + ", created in this migration");
                }
            }
            case UPDATE, DELETE, MERGE, INSERT, COPY -> dml(s, context, b);
            case VACUUM -> {
                if (s.has("FULL")) {
                    b.add(ChangeClass.LOCKING, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE");
                }
            }
            case CLUSTER -> b.add(ChangeClass.LOCKING, "CLUSTER rewrites the table under ACCESS EXCLUSIVE");
            case REINDEX -> {
                if (!s.concurrently()) {
                    b.add(ChangeClass.LOCKING, "REINDEX without CONCURRENTLY blocks writes (and reads using the index)");
                }
            }
            case REFRESH_MATERIALIZED_VIEW -> {
                if (!s.concurrently()) {
                    b.add(ChangeClass.LOCKING, "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks readers of " + s.table());
                }
            }
            case LOCK -> {
                if (existing) {
                    b.add(ChangeClass.LOCKING, "LOCK TABLE " + s.table() + " holds an explicit lock to the end of the transaction");
                }
            }
            default -> {
                return null;
            }
        }
        if (b.classes.isEmpty() && !b.writes) {
            return null;
        }
        return new ClassifiedChange(context.migration().path(), s.line(), b.classes.isEmpty() ? Set.of() : EnumSet.copyOf(b.classes),
                b.writes, String.join("; ", b.reasons), s.statement().summary());
    }

    private static void drop(ParsedStatement s, RuleContext context, Builder b) {
        String type = s.objectType();
        if (type == null || type.isEmpty()) {
            return; // not understood: reported as unparsed-statement
        }
        if ("INDEX".equals(type)) {
            if (!s.concurrently()) {
                b.writes("DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table");
            }
            return;
        }
        if ("TABLE".equals(type)) {
            List<String> existing = s.names().stream().filter(context::isExistingTable).toList();
            if (!existing.isEmpty()) {
                b.add(ChangeClass.BREAKING, "drops table " + String.join(", ", existing));
            }
            return;
        }
        if ("ROLE".equals(type) || "USER".equals(type)) {
            return;
        }
        // a view, routine, type, sequence or trigger created earlier in this file has no users yet
        List<String> existing = s.names().stream().filter(n -> !context.isNewObject(type, n, s.table())).toList();
        if (!s.names().isEmpty() && existing.isEmpty()) {
            return;
        }
        b.add(ChangeClass.BREAKING, "drops " + type.toLowerCase(Locale.ROOT) + " " + String.join(", ", existing.isEmpty() ? s.names() : existing));
    }

    private static void alter(ParsedStatement s, AlterAction a, RuleContext context, Builder b) {
        String t = s.table();
        switch (a.type()) {
            case ADD_COLUMN -> {
                ColumnDefinition c = a.definition();
                b.add(ChangeClass.NON_BREAKING, "adds column " + t + "." + a.column());
                String rewrite = DefaultExpressions.rewriteReason(c, context.catalog()::functionVolatility);
                if (rewrite != null) {
                    b.add(ChangeClass.LOCKING, "adding " + t + "." + a.column() + " rewrites the table: " + rewrite);
                }
                if (c.notNull() && !c.hasDefault() && !c.identity() && !c.serial() && !c.storedGenerated()) {
                    b.add(ChangeClass.BREAKING, "NOT NULL column " + t + "." + a.column()
                            + " without a default: fails on a non-empty table and breaks writers that omit it");
                } else if (c.notNull()) {
                    b.writes("NOT NULL column " + t + "." + a.column() + " constrains writes");
                }
                if (c.unique() || c.primaryKey()) {
                    b.add(ChangeClass.LOCKING, "the inline unique/primary key on " + t + "." + a.column() + " builds an index under ACCESS EXCLUSIVE");
                }
                if (c.references() || c.check()) {
                    b.writes("the inline constraint on " + t + "." + a.column() + " checks every write");
                }
            }
            case DROP_COLUMN -> b.add(ChangeClass.BREAKING, "drops column " + t + "." + a.column());
            case ALTER_COLUMN_TYPE -> {
                Optional<SqlType> old = context.columnType(t, a.column());
                if (old.isPresent() && SqlType.changeIsRewriteFree(old.get(), a.newType())) {
                    b.add(ChangeClass.NON_BREAKING, "widens " + t + "." + a.column() + " from " + old.get() + " to "
                            + a.newType() + " without a rewrite");
                } else {
                    b.add(ChangeClass.BREAKING, "changes the type of " + t + "." + a.column() + " to " + a.newType());
                    b.add(ChangeClass.LOCKING, "the type change rewrites " + t + " and its indexes under ACCESS EXCLUSIVE");
                }
            }
            case SET_NOT_NULL -> {
                b.add(ChangeClass.BREAKING, "SET NOT NULL on " + t + "." + a.column() + " rejects writers that send NULL");
                b.add(ChangeClass.LOCKING, "SET NOT NULL scans " + t + " under ACCESS EXCLUSIVE");
            }
            case DROP_NOT_NULL -> b.add(ChangeClass.NON_BREAKING, "relaxes NOT NULL on " + t + "." + a.column());
            case DROP_DEFAULT -> b.add(ChangeClass.BREAKING, "drops the default of " + t + "." + a.column()
                    + ": writers that omit it now insert NULL or fail");
            case SET_DEFAULT -> b.add(ChangeClass.NON_BREAKING, "sets a default on " + t + "." + a.column());
            case ADD_CONSTRAINT -> {
                b.writes("a new " + a.constraint().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " constraint on " + t + " checks every write");
                boolean locks = switch (a.constraint()) {
                    case FOREIGN_KEY, CHECK -> !a.notValid();
                    case UNIQUE, PRIMARY_KEY -> !a.usingIndex();
                    case EXCLUDE -> true;
                    default -> false;
                };
                if (locks) {
                    b.add(ChangeClass.LOCKING, "the constraint is validated (or its index built) while writes to " + t + " wait");
                }
            }
            case RENAME_COLUMN -> b.add(ChangeClass.BREAKING, "renames column " + t + "." + a.column() + " to " + a.newName());
            case RENAME_TABLE -> b.add(ChangeClass.BREAKING, "renames table " + t + " to " + a.newName());
            case SET_SCHEMA -> b.add(ChangeClass.BREAKING, "moves table " + t + " to schema " + a.newName());
            case SET_TABLESPACE, SET_LOGGED, SET_UNLOGGED -> b.add(ChangeClass.LOCKING,
                    a.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " rewrites " + t + " under ACCESS EXCLUSIVE");
            case ATTACH_PARTITION -> b.writes("ATTACH PARTITION scans the partition and changes where writes to " + t + " go");
            case DETACH_PARTITION -> {
                b.add(ChangeClass.BREAKING, "detaches partition " + a.newName() + ": its rows leave " + t);
                if (!a.concurrently()) {
                    b.add(ChangeClass.LOCKING, "DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on " + t);
                }
            }
            case ENABLE_DISABLE_TRIGGER -> b.writes("enabling or disabling triggers on " + t + " changes what writes do");
            case ADD_IDENTITY -> b.add(ChangeClass.NON_BREAKING, "adds an identity to " + t + "." + a.column());
            default -> { }
        }
    }

    private static void dml(ParsedStatement s, RuleContext context, Builder b) {
        RowEstimate estimate = context.rowEstimate(s);
        long threshold = context.settings().backfillRowThreshold();
        boolean existing = context.isExistingTable(s.table());
        boolean unbounded = s.dml() != null && !s.dml().hasWhere() && s.kind() != io.migrationrunbook.lint.StatementKind.INSERT
                && s.kind() != io.migrationrunbook.lint.StatementKind.COPY;
        if (estimate != null && estimate.rows() > threshold) {
            b.add(ChangeClass.BACKFILL, s.kind() + " touches about " + estimate.rows() + " rows (" + estimate.basis()
                    + "), over the backfill threshold of " + threshold);
        } else if (existing && unbounded && estimate == null) {
            b.add(ChangeClass.BACKFILL, s.kind() + " of every row of " + s.table() + " (no WHERE clause, size unknown)");
        }
    }

    private static String what(ParsedStatement s) {
        return switch (s.kind()) {
            case CREATE_TABLE, CREATE_TABLE_AS -> "table " + s.table();
            case CREATE_VIEW -> s.objectType().toLowerCase(Locale.ROOT) + " " + s.table();
            case CREATE_FUNCTION -> "a " + s.objectType().toLowerCase(Locale.ROOT);
            default -> "a " + (s.objectType() == null ? "type" : s.objectType().toLowerCase(Locale.ROOT));
        };
    }

    private static String first(ParsedStatement s) {
        return s.names().isEmpty() ? "?" : s.names().get(0);
    }

    private static final class Builder {
        final Set<ChangeClass> classes = EnumSet.noneOf(ChangeClass.class);
        final List<String> reasons = new ArrayList<>();
        boolean writes;

        void add(ChangeClass c, String reason) {
            classes.add(c);
            reasons.add(reason);
        }

        void writes(String reason) {
            writes = true;
            reasons.add(reason);
        }
    }
}
