package io.migrationrunbook.lint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a rule may ask while it checks one file: which tables already exist (a table created earlier in the same
 * file is new, and locking it blocks nobody), the transaction a statement runs in, row estimates and column
 * types, and where to report.
 */
public final class RuleContext {

    private final Migration migration;
    private final LintSettings settings;
    private final CatalogFacts catalog;
    private final Set<String> createdInFile = new HashSet<>();
    /** Views, routines, types, sequences and triggers created (not replaced) earlier in this file: "FAMILY:name". */
    private final Set<String> objectsCreatedInFile = new HashSet<>();
    private final Set<String> createdEarlierInRun;
    private final Map<String, SqlType> knownColumns;
    private final List<Reported> reported = new ArrayList<>();
    // per statement object: the statements of a DO block share their DO's index
    private final Map<ParsedStatement, OptionalLong> explained = new java.util.IdentityHashMap<>();
    private final Map<ParsedStatement, Optional<RowEstimate>> estimates = new java.util.IdentityHashMap<>();

    /** A finding with the rule and statement it came from (suppressions are matched on those). */
    record Reported(Finding finding, LintRule rule, ParsedStatement statement) {
    }

    RuleContext(Migration migration, LintSettings settings, CatalogFacts catalog, Set<String> createdEarlierInRun,
                Map<String, SqlType> knownColumns) {
        this.migration = migration;
        this.settings = settings;
        this.catalog = catalog;
        this.createdEarlierInRun = createdEarlierInRun;
        this.knownColumns = knownColumns;
    }

    public Migration migration() {
        return migration;
    }

    public LintSettings settings() {
        return settings;
    }

    public CatalogFacts catalog() {
        return catalog;
    }

    /**
     * True unless the table was created earlier in this file, or the database is known and lacks it while an earlier
     * file of this run creates it. Unknown tables count as existing: the safe assumption.
     */
    public boolean isExistingTable(String table) {
        if (table == null) {
            return false;
        }
        String key = key(table);
        if (createdInFile.contains(key)) {
            return false;
        }
        if (catalog.knowsTables()) {
            return catalog.tableExists(table) || !createdEarlierInRun.contains(key);
        }
        return true;
    }

    /**
     * True when a DROP of {@code objectType} (VIEW, MATERIALIZED VIEW, FUNCTION, PROCEDURE, ROUTINE, AGGREGATE, TYPE,
     * DOMAIN, SEQUENCE, TRIGGER) named {@code name} removes an object created earlier in this file: nobody uses it
     * yet. A CREATE OR REPLACE or CREATE ... IF NOT EXISTS may have met an existing object and does not count. For a
     * trigger, {@code table} is its table (a trigger on a table created in this file is new too).
     */
    public boolean isNewObject(String objectType, String name, String table) {
        String family = family(objectType);
        if (family == null || name == null) {
            return false;
        }
        if (family.equals("TRIGGER")) {
            return (table != null && !isExistingTable(table)) || objectsCreatedInFile.contains(family + ":" + key(table == null ? "" : table) + "." + key(name));
        }
        return objectsCreatedInFile.contains(family + ":" + key(name));
    }

    private static String family(String objectType) {
        if (objectType == null) {
            return null;
        }
        return switch (objectType) {
            case "VIEW", "MATERIALIZED VIEW" -> "VIEW";
            case "FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE" -> "FUNCTION";
            case "TYPE", "DOMAIN" -> "TYPE";
            case "SEQUENCE", "TRIGGER" -> objectType;
            default -> null;
        };
    }

    public boolean inTransaction(ParsedStatement statement) {
        return migration.inTransaction(statement);
    }

    /** The column's type before this statement: from earlier statements of the run, else from the database. */
    public Optional<SqlType> columnType(String table, String column) {
        SqlType known = knownColumns.get(key(table) + "." + column);
        return known != null ? Optional.of(known) : catalog.columnType(table, column);
    }

    /** The planner's estimate for a DML statement on the target (cached per statement), empty without a database. */
    public OptionalLong explainRows(ParsedStatement statement) {
        return explained.computeIfAbsent(statement,
                k -> catalog.explainRows(StatementRecognizer.join(statement.statement().body())));
    }

    /** Cached {@link RowEstimate#of} for a statement (null when unknown). */
    public RowEstimate rowEstimate(ParsedStatement statement) {
        return estimates.computeIfAbsent(statement, k -> Optional.ofNullable(RowEstimate.of(statement, this)))
                .orElse(null);
    }

    public OptionalLong estimatedRows(String table) {
        return catalog.estimatedRows(table);
    }

    public void report(LintRule rule, ParsedStatement statement, String message) {
        report(rule, statement, rule.severity(), message);
    }

    public void report(LintRule rule, ParsedStatement statement, Severity severity, String message) {
        int line = statement == null ? 1 : statement.line();
        reported.add(new Reported(new Finding(migration.path(), line, rule.id(), severity, message, rule.lock(), rule.why(),
                rule.alternative(), statement == null ? null : statement.statement().summary()), rule, statement));
    }

    List<Reported> reported() {
        return reported;
    }

    /** Records what a statement creates or changes, after the rules saw it. */
    void after(ParsedStatement s) {
        if (!s.has("OR_REPLACE") && !s.has("IF_NOT_EXISTS") && s.objectType() != null) {
            String name = s.kind() == StatementKind.CREATE_VIEW ? s.table() : s.names().isEmpty() ? null : s.names().get(0);
            boolean creates = switch (s.kind()) {
                case CREATE_VIEW, CREATE_FUNCTION, CREATE_TYPE -> true;
                case CREATE_TRIGGER -> "TRIGGER".equals(s.objectType());
                case CREATE_OTHER -> "SEQUENCE".equals(s.objectType());
                default -> false;
            };
            if (creates && name != null) {
                String family = family(s.objectType());
                objectsCreatedInFile.add(family + ":" + (family.equals("TRIGGER") ? key(s.table() == null ? "" : s.table()) + "." : "")
                        + key(name));
            }
        }
        if ((s.kind() == StatementKind.CREATE_TABLE || s.kind() == StatementKind.CREATE_TABLE_AS) && s.table() != null) {
            createdInFile.add(key(s.table()));
            createdEarlierInRun.add(key(s.table()));
            for (ColumnDefinition c : s.columns()) {
                knownColumns.put(key(s.table()) + "." + c.name(), c.type());
            }
        }
        if (s.kind() == StatementKind.ALTER_TABLE && s.table() != null) {
            for (AlterAction a : s.actions()) {
                if (a.type() == AlterAction.Type.ADD_COLUMN && a.definition() != null) {
                    knownColumns.put(key(s.table()) + "." + a.column(), a.definition().type());
                } else if (a.type() == AlterAction.Type.ALTER_COLUMN_TYPE && a.column() != null) {
                    knownColumns.put(key(s.table()) + "." + a.column(), a.newType());
                } else if (a.type() == AlterAction.Type.RENAME_TABLE && a.newName() != null
                        && createdInFile.contains(key(s.table()))) {
                    createdInFile.add(key(a.newName()));
                }
            }
        }
    }

    /** Tables are matched by their unqualified name: migrations rarely qualify them consistently. */
    static String key(String table) {
        int dot = table.lastIndexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }
}
