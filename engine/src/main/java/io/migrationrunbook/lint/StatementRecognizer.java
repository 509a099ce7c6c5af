package io.migrationrunbook.lint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognises PostgreSQL DDL and utility statements over the token stream (JSqlParser's PostgreSQL DDL coverage is
 * too thin to rely on), and hands data-changing statements to {@link DmlAnalyzer}. Never throws: a statement it
 * cannot follow comes back with {@link ParsedStatement#unparsed()} set.
 */
public final class StatementRecognizer {

    private static final Set<String> OTHER_COMMANDS = Set.of("DISCARD", "NOTIFY", "LISTEN", "UNLISTEN", "PREPARE",
            "EXECUTE", "DEALLOCATE", "CHECKPOINT", "LOAD", "REASSIGN", "IMPORT", "FETCH", "MOVE", "CLOSE", "DECLARE",
            "SHOW", "EXPLAIN", "VALUES", "TABLE", "SECURITY");
    private static final Set<String> COLUMN_CONSTRAINT_START = Set.of("CONSTRAINT", "NOT", "NULL", "DEFAULT", "PRIMARY",
            "UNIQUE", "REFERENCES", "CHECK", "GENERATED", "COLLATE", "COMPRESSION", "STORAGE", "DEFERRABLE", "INITIALLY");
    private static final Set<String> TABLE_CONSTRAINT_START = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN",
            "CHECK", "EXCLUDE", "LIKE");

    private final SqlStatement statement;
    private final List<Token> t;
    private int i;

    private StatementKind kind = StatementKind.UNKNOWN;
    private String table;
    private String objectType;
    private final List<String> names = new ArrayList<>();
    private boolean concurrently;
    private boolean unique;
    private final Set<String> options = new LinkedHashSet<>();
    private final List<AlterAction> actions = new ArrayList<>();
    private final List<ColumnDefinition> columns = new ArrayList<>();
    private DmlFacts dml;
    private String unparsed;
    private List<ParsedStatement> block = List.of();

    private StatementRecognizer(SqlStatement statement) {
        this.statement = statement;
        this.t = statement.body();
    }

    public static ParsedStatement recognize(SqlStatement statement) {
        StatementRecognizer r = new StatementRecognizer(statement);
        try {
            r.dispatch();
        } catch (RuntimeException e) {
            // a recogniser bug or a construct it does not follow must not stop the lint run
            r.unparsed = "not understood near line " + statement.startLine() + " (" + e.getClass().getSimpleName() + ")";
        }
        r.names.removeIf(java.util.Objects::isNull); // a name missing where one was expected (truncated input)
        return new ParsedStatement(statement, r.kind, r.table, r.objectType, List.copyOf(r.names), r.concurrently,
                r.unique, Set.copyOf(r.options), List.copyOf(r.actions), List.copyOf(r.columns), r.dml, r.unparsed,
                List.copyOf(r.block));
    }

    // ---------------------------------------------------------------- dispatch

    private void dispatch() {
        if (t.isEmpty()) {
            kind = StatementKind.OTHER;
            return;
        }
        Token first = t.get(0);
        if (first.type() == Token.Type.LEFT_PAREN) {
            kind = StatementKind.SELECT;
            return;
        }
        if (first.type() != Token.Type.WORD) {
            unparsed = "does not start with a command word";
            return;
        }
        String verb = first.upper();
        i = 1;
        switch (verb) {
            case "CREATE" -> create();
            case "ALTER" -> alter();
            case "DROP" -> drop();
            case "TRUNCATE" -> truncate();
            case "UPDATE", "DELETE", "INSERT", "MERGE", "WITH" -> dml();
            case "COPY" -> copy();
            case "SELECT" -> kind = StatementKind.SELECT;
            case "VACUUM" -> vacuum();
            case "ANALYZE", "ANALYSE" -> kind = StatementKind.ANALYZE;
            case "CLUSTER" -> cluster();
            case "REINDEX" -> reindex();
            case "REFRESH" -> refresh();
            case "BEGIN", "START" -> kind = StatementKind.BEGIN;
            case "COMMIT", "END" -> kind = StatementKind.COMMIT;
            case "ABORT" -> kind = StatementKind.ROLLBACK;
            case "ROLLBACK" -> kind = containsWord("TO") ? StatementKind.SAVEPOINT : StatementKind.ROLLBACK;
            case "SAVEPOINT", "RELEASE" -> kind = StatementKind.SAVEPOINT;
            case "SET", "RESET" -> kind = StatementKind.SET;
            case "LOCK" -> lock();
            case "DO" -> doBlock();
            case "CALL" -> kind = StatementKind.CALL;
            case "GRANT", "REVOKE" -> kind = StatementKind.GRANT;
            case "COMMENT" -> kind = StatementKind.COMMENT;
            default -> {
                if (OTHER_COMMANDS.contains(verb)) {
                    kind = StatementKind.OTHER;
                } else {
                    unparsed = "unknown command " + verb;
                }
            }
        }
    }

    // ---------------------------------------------------------------- CREATE

    private void create() {
        if (accept("OR", "REPLACE")) {
            options.add("OR_REPLACE");
        }
        while (acceptAny("TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "TRUSTED", "PROCEDURAL", "DEFAULT",
                "RECURSIVE")) {
            options.add(t.get(i - 1).upper());
        }
        if (at("UNIQUE") || at("INDEX")) {
            createIndex();
            return;
        }
        if (at("TABLE")) {
            i++;
            createTable();
            return;
        }
        if (at("MATERIALIZED") || at("VIEW")) {
            kind = StatementKind.CREATE_VIEW;
            objectType = accept("MATERIALIZED") ? "MATERIALIZED VIEW" : "VIEW";
            i++;
            acceptIfNotExists();
            table = readName();
            return;
        }
        if (atAny("FUNCTION", "PROCEDURE", "AGGREGATE")) {
            kind = StatementKind.CREATE_FUNCTION;
            objectType = t.get(i).upper();
            i++;
            names.add(readName());
            return;
        }
        if (at("CONSTRAINT") || at("TRIGGER") || at("EVENT")) {
            kind = StatementKind.CREATE_TRIGGER;
            objectType = at("EVENT") ? "EVENT TRIGGER" : "TRIGGER";
            acceptAny("CONSTRAINT", "EVENT");
            accept("TRIGGER");
            names.add(readName());
            int on = indexOfWord("ON", i);
            if (on > 0 && !objectType.startsWith("EVENT")) {
                i = on + 1;
                table = readName();
            }
            return;
        }
        if (atAny("TYPE", "DOMAIN")) {
            kind = StatementKind.CREATE_TYPE;
            objectType = t.get(i).upper();
            i++;
            names.add(readName());
            return;
        }
        if (i < t.size() && t.get(i).type() == Token.Type.WORD) {
            kind = StatementKind.CREATE_OTHER;
            objectType = t.get(i).upper();
            if (at("FOREIGN") && i + 1 < t.size()) {
                objectType = "FOREIGN " + t.get(i + 1).upper();
            }
            if (at("SEQUENCE")) {
                i++;
                acceptIfNotExists();
                names.add(readName());
            }
            return;
        }
        unparsed = "CREATE of an unknown object";
    }

    private void createIndex() {
        kind = StatementKind.CREATE_INDEX;
        unique = accept("UNIQUE");
        expect("INDEX");
        concurrently = accept("CONCURRENTLY");
        acceptIfNotExists();
        if (!at("ON")) {
            names.add(readName());
        }
        if (!accept("ON")) {
            unparsed = "CREATE INDEX without ON table";
            return;
        }
        accept("ONLY");
        table = readName();
    }

    private void createTable() {
        kind = StatementKind.CREATE_TABLE;
        acceptIfNotExists();
        table = readName();
        if (at("PARTITION") || at("OF")) {
            options.add(at("PARTITION") ? "PARTITION_OF" : "OF_TYPE");
            return;
        }
        if (!at("(")) {
            kind = StatementKind.CREATE_TABLE_AS;
            return;
        }
        for (List<Token> element : splitTopLevel(parenContents())) {
            if (element.isEmpty()) {
                continue;
            }
            if (TABLE_CONSTRAINT_START.contains(element.get(0).upper())) {
                continue;
            }
            columns.add(columnDefinition(element));
        }
        if (containsWord("AS") && !at("(") && columns.isEmpty()) {
            kind = StatementKind.CREATE_TABLE_AS;
        }
    }

    /** {@code name type [constraints...]}. */
    static ColumnDefinition columnDefinition(List<Token> e) {
        String name = e.get(0).identifier();
        int j = 1;
        int depth = 0;
        List<Token> typeTokens = new ArrayList<>();
        while (j < e.size()) {
            Token x = e.get(j);
            if (depth == 0 && x.type() == Token.Type.WORD && COLUMN_CONSTRAINT_START.contains(x.upper())) {
                break;
            }
            if (x.type() == Token.Type.LEFT_PAREN) {
                depth++;
            } else if (x.type() == Token.Type.RIGHT_PAREN) {
                depth--;
            }
            typeTokens.add(x);
            j++;
        }
        SqlType type = SqlType.of(typeTokens);
        boolean notNull = false;
        boolean primaryKey = false;
        boolean uniqueColumn = false;
        boolean references = false;
        boolean check = false;
        boolean identity = false;
        boolean stored = false;
        String defaultExpr = null;
        List<Token> defaultTokens = List.of();
        while (j < e.size()) {
            Token x = e.get(j);
            if (x.is("NOT") && j + 1 < e.size() && e.get(j + 1).is("NULL")) {
                notNull = true;
                j += 2;
            } else if (x.is("PRIMARY")) {
                primaryKey = true;
                notNull = true;
                j++;
            } else if (x.is("UNIQUE")) {
                uniqueColumn = true;
                j++;
            } else if (x.is("REFERENCES")) {
                references = true;
                j++;
            } else if (x.is("CHECK")) {
                check = true;
                j++;
            } else if (x.is("GENERATED")) {
                int end = j + 1;
                while (end < e.size() && !e.get(end).isAny("IDENTITY", "STORED", "VIRTUAL")) {
                    end++;
                }
                if (end < e.size()) {
                    identity |= e.get(end).is("IDENTITY");
                    stored |= e.get(end).is("STORED");
                }
                j = end + 1;
            } else if (x.is("DEFAULT")) {
                int start = j + 1;
                int end = start;
                int d = 0;
                while (end < e.size()) {
                    Token y = e.get(end);
                    if (d == 0 && end > start && y.type() == Token.Type.WORD && COLUMN_CONSTRAINT_START.contains(y.upper())) {
                        break;
                    }
                    if (y.type() == Token.Type.LEFT_PAREN) {
                        d++;
                    } else if (y.type() == Token.Type.RIGHT_PAREN) {
                        d--;
                    }
                    end++;
                }
                defaultTokens = List.copyOf(e.subList(start, end));
                defaultExpr = join(defaultTokens);
                j = end;
            } else {
                j++;
            }
        }
        return new ColumnDefinition(name, type, notNull, defaultExpr, defaultTokens, identity, stored, type.isSerial(),
                primaryKey, uniqueColumn, references, check);
    }

    // ---------------------------------------------------------------- ALTER

    private void alter() {
        if (at("TABLE") || (at("FOREIGN") && peekIs(1, "TABLE"))) {
            accept("FOREIGN");
            i++;
            if (at("ALL")) {
                kind = StatementKind.ALTER_OTHER;
                objectType = "TABLE";
                return;
            }
            kind = StatementKind.ALTER_TABLE;
            accept("IF", "EXISTS");
            accept("ONLY");
            table = readName();
            if (i < t.size() && t.get(i).text().equals("*")) {
                i++;
            }
            List<List<Token>> parts = splitTopLevel(t.subList(i, t.size()));
            for (List<Token> part : parts) {
                actions.add(alterAction(part));
            }
            if (actions.isEmpty()) {
                unparsed = "ALTER TABLE without an action";
            }
            return;
        }
        if (at("INDEX")) {
            kind = StatementKind.ALTER_INDEX;
            objectType = "INDEX";
            i++;
            accept("IF", "EXISTS");
            names.add(readName());
            if (containsWord("RENAME")) {
                options.add("RENAME");
            }
            return;
        }
        if (at("TYPE")) {
            kind = StatementKind.ALTER_TYPE;
            objectType = "TYPE";
            i++;
            names.add(readName());
            if (accept("ADD") && at("VALUE")) {
                options.add("ADD_VALUE");
            } else if (containsWord("RENAME")) {
                options.add("RENAME");
            } else if (containsWord("DROP")) {
                options.add("DROP");
            }
            return;
        }
        kind = StatementKind.ALTER_OTHER;
        if (i < t.size()) {
            objectType = t.get(i).upper();
            if (at("MATERIALIZED") && peekIs(1, "VIEW")) {
                objectType = "MATERIALIZED VIEW";
            }
        }
        if (containsWord("RENAME")) {
            options.add("RENAME");
        }
    }

    private AlterAction alterAction(List<Token> a) {
        if (a.isEmpty()) {
            return AlterAction.of(AlterAction.Type.OTHER, null, a);
        }
        Cursor c = new Cursor(a);
        if (c.accept("ADD")) {
            if (c.atAny("CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE")) {
                return addConstraint(a, c);
            }
            c.accept("COLUMN");
            c.accept("IF", "NOT", "EXISTS");
            List<Token> def = a.subList(c.pos, a.size());
            if (def.isEmpty()) {
                return AlterAction.of(AlterAction.Type.OTHER, null, a);
            }
            ColumnDefinition column = columnDefinition(def);
            return new AlterAction(AlterAction.Type.ADD_COLUMN, column.name(), column, null, null, false, false, null, false, a);
        }
        if (c.accept("DROP")) {
            if (c.accept("CONSTRAINT")) {
                c.accept("IF", "EXISTS");
                return new AlterAction(AlterAction.Type.DROP_CONSTRAINT, null, null, null, null, false, false, c.name(), false, a);
            }
            c.accept("COLUMN");
            c.accept("IF", "EXISTS");
            return AlterAction.of(AlterAction.Type.DROP_COLUMN, c.name(), a);
        }
        if (c.accept("ALTER")) {
            c.accept("COLUMN");
            String column = c.name();
            if (c.accept("SET", "DATA", "TYPE") || c.accept("TYPE")) {
                List<Token> typeTokens = new ArrayList<>();
                while (c.pos < a.size() && !c.atAny("USING", "COLLATE")) {
                    typeTokens.add(a.get(c.pos++));
                }
                return new AlterAction(AlterAction.Type.ALTER_COLUMN_TYPE, column, null, SqlType.of(typeTokens), null,
                        false, false, null, false, a);
            }
            if (c.accept("SET", "NOT", "NULL")) {
                return AlterAction.of(AlterAction.Type.SET_NOT_NULL, column, a);
            }
            if (c.accept("DROP", "NOT", "NULL")) {
                return AlterAction.of(AlterAction.Type.DROP_NOT_NULL, column, a);
            }
            if (c.accept("SET", "DEFAULT")) {
                return AlterAction.of(AlterAction.Type.SET_DEFAULT, column, a);
            }
            if (c.accept("DROP", "DEFAULT")) {
                return AlterAction.of(AlterAction.Type.DROP_DEFAULT, column, a);
            }
            if (c.accept("ADD", "GENERATED")) {
                return AlterAction.of(AlterAction.Type.ADD_IDENTITY, column, a);
            }
            return AlterAction.of(AlterAction.Type.OTHER, column, a);
        }
        if (c.accept("VALIDATE", "CONSTRAINT")) {
            return new AlterAction(AlterAction.Type.VALIDATE_CONSTRAINT, null, null, null, null, false, false, c.name(), false, a);
        }
        if (c.accept("RENAME")) {
            if (c.accept("TO")) {
                return new AlterAction(AlterAction.Type.RENAME_TABLE, null, null, null, null, false, false, c.name(), false, a);
            }
            if (c.accept("CONSTRAINT")) {
                String old = c.name();
                c.accept("TO");
                return new AlterAction(AlterAction.Type.RENAME_CONSTRAINT, old, null, null, null, false, false, c.name(), false, a);
            }
            c.accept("COLUMN");
            String old = c.name();
            c.accept("TO");
            return new AlterAction(AlterAction.Type.RENAME_COLUMN, old, null, null, null, false, false, c.name(), false, a);
        }
        if (c.accept("SET", "TABLESPACE")) {
            return AlterAction.of(AlterAction.Type.SET_TABLESPACE, null, a);
        }
        if (c.accept("SET", "LOGGED")) {
            return AlterAction.of(AlterAction.Type.SET_LOGGED, null, a);
        }
        if (c.accept("SET", "UNLOGGED")) {
            return AlterAction.of(AlterAction.Type.SET_UNLOGGED, null, a);
        }
        if (c.accept("SET", "SCHEMA")) {
            return new AlterAction(AlterAction.Type.SET_SCHEMA, null, null, null, null, false, false, c.name(), false, a);
        }
        if (c.accept("ATTACH", "PARTITION")) {
            return new AlterAction(AlterAction.Type.ATTACH_PARTITION, null, null, null, null, false, false, c.name(), false, a);
        }
        if (c.accept("DETACH", "PARTITION")) {
            String partition = c.name();
            boolean conc = c.accept("CONCURRENTLY");
            return new AlterAction(AlterAction.Type.DETACH_PARTITION, null, null, null, null, false, false, partition, conc, a);
        }
        if (c.atAny("ENABLE", "DISABLE")) {
            return AlterAction.of(AlterAction.Type.ENABLE_DISABLE_TRIGGER, null, a);
        }
        return AlterAction.of(AlterAction.Type.OTHER, null, a);
    }

    private AlterAction addConstraint(List<Token> a, Cursor c) {
        String name = null;
        if (c.accept("CONSTRAINT")) {
            name = c.name();
        }
        AlterAction.ConstraintKind ck;
        if (c.atAny("CHECK")) {
            ck = AlterAction.ConstraintKind.CHECK;
        } else if (c.atAny("UNIQUE")) {
            ck = AlterAction.ConstraintKind.UNIQUE;
        } else if (c.atAny("PRIMARY")) {
            ck = AlterAction.ConstraintKind.PRIMARY_KEY;
        } else if (c.atAny("FOREIGN")) {
            ck = AlterAction.ConstraintKind.FOREIGN_KEY;
        } else if (c.atAny("EXCLUDE")) {
            ck = AlterAction.ConstraintKind.EXCLUDE;
        } else if (c.atAny("NOT")) {
            ck = AlterAction.ConstraintKind.NOT_NULL;
        } else {
            ck = AlterAction.ConstraintKind.OTHER;
        }
        boolean notValid = false;
        boolean usingIndex = false;
        int depth = 0;
        for (int j = c.pos; j < a.size(); j++) {
            Token x = a.get(j);
            if (x.type() == Token.Type.LEFT_PAREN) {
                depth++;
            } else if (x.type() == Token.Type.RIGHT_PAREN) {
                depth--;
            } else if (depth == 0 && x.is("NOT") && j + 1 < a.size() && a.get(j + 1).is("VALID")) {
                notValid = true;
            } else if (depth == 0 && x.is("USING") && j + 1 < a.size() && a.get(j + 1).is("INDEX")) {
                usingIndex = true;
            }
        }
        return new AlterAction(AlterAction.Type.ADD_CONSTRAINT, null, null, null, ck, notValid, usingIndex, name, false, a);
    }

    // ---------------------------------------------------------------- DROP, TRUNCATE, maintenance

    private void drop() {
        kind = StatementKind.DROP;
        StringBuilder type = new StringBuilder();
        while (i < t.size() && t.get(i).type() == Token.Type.WORD && !atAny("IF", "CONCURRENTLY")
                && (type.length() == 0 || isMultiWordObjectType(type.toString(), t.get(i).upper()))) {
            type.append(type.length() == 0 ? "" : " ").append(t.get(i).upper());
            i++;
        }
        objectType = type.toString();
        if (objectType.isEmpty()) {
            unparsed = "DROP of an unknown object";
            return;
        }
        concurrently = accept("CONCURRENTLY");
        if (accept("IF", "EXISTS")) {
            options.add("IF_EXISTS");
        }
        readNameList();
        if (objectType.equals("TRIGGER") || objectType.equals("POLICY") || objectType.equals("RULE")) {
            if (accept("ON")) {
                table = readName();
            }
        }
        if (containsWord("CASCADE")) {
            options.add("CASCADE");
        }
        if (objectType.equals("TABLE") && !names.isEmpty()) {
            table = names.get(0);
        }
    }

    private static boolean isMultiWordObjectType(String sofar, String next) {
        return switch (sofar) {
            case "MATERIALIZED", "FOREIGN" -> next.equals("VIEW") || next.equals("TABLE") || next.equals("DATA");
            case "FOREIGN DATA" -> next.equals("WRAPPER");
            case "EVENT" -> next.equals("TRIGGER");
            case "TEXT" -> next.equals("SEARCH");
            case "TEXT SEARCH" -> Set.of("CONFIGURATION", "DICTIONARY", "PARSER", "TEMPLATE").contains(next);
            case "OPERATOR" -> next.equals("CLASS") || next.equals("FAMILY");
            case "ACCESS" -> next.equals("METHOD");
            case "USER" -> next.equals("MAPPING");
            case "OWNED" -> next.equals("BY");
            default -> false;
        };
    }

    private void truncate() {
        kind = StatementKind.TRUNCATE;
        accept("TABLE");
        accept("ONLY");
        readNameList();
        if (containsWord("CASCADE")) {
            options.add("CASCADE");
        }
        if (!names.isEmpty()) {
            table = names.get(0);
        }
    }

    private void vacuum() {
        kind = StatementKind.VACUUM;
        if (at("(")) {
            for (Token x : parenContents()) {
                if (x.is("FULL")) {
                    options.add("FULL");
                }
            }
            // VACUUM (FULL false) is not a full vacuum
            List<Token> inner = t.subList(1, i);
            for (int j = 0; j + 1 < inner.size(); j++) {
                if (inner.get(j).is("FULL") && inner.get(j + 1).isAny("FALSE", "OFF", "0")) {
                    options.remove("FULL");
                }
            }
        }
        while (acceptAny("FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE")) {
            options.add(t.get(i - 1).upper());
        }
        readNameList();
        if (!names.isEmpty()) {
            table = names.get(0);
        }
    }

    private void cluster() {
        kind = StatementKind.CLUSTER;
        if (at("(")) {
            parenContents();
        }
        accept("VERBOSE");
        if (i < t.size() && t.get(i).isName()) {
            table = readName();
            names.add(table);
        }
    }

    private void reindex() {
        kind = StatementKind.REINDEX;
        if (at("(")) {
            for (Token x : parenContents()) {
                if (x.is("CONCURRENTLY")) {
                    concurrently = true;
                }
            }
        }
        if (atAny("INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM")) {
            objectType = t.get(i++).upper();
        }
        concurrently |= accept("CONCURRENTLY");
        if (i < t.size() && t.get(i).isName()) {
            names.add(readName());
            if ("TABLE".equals(objectType)) {
                table = names.get(0);
            }
        }
    }

    private void refresh() {
        kind = StatementKind.REFRESH_MATERIALIZED_VIEW;
        accept("MATERIALIZED");
        accept("VIEW");
        concurrently = accept("CONCURRENTLY");
        table = readName();
        objectType = "MATERIALIZED VIEW";
    }

    private void lock() {
        kind = StatementKind.LOCK;
        accept("TABLE");
        accept("ONLY");
        readNameList();
        if (!names.isEmpty()) {
            table = names.get(0);
        }
    }

    private void copy() {
        kind = StatementKind.COPY;
        if (at("(")) {
            kind = StatementKind.SELECT; // COPY (query) TO ...: reads only
            return;
        }
        table = readName();
        if (!containsWord("FROM")) {
            kind = StatementKind.SELECT; // COPY table TO ...: reads only
            return;
        }
        dml = new DmlFacts(table, true, List.of(), "tokens");
    }

    private void dml() {
        DmlFacts facts = DmlAnalyzer.analyze(statement, t);
        if (facts == null) {
            // a WITH that ends in SELECT, or DML neither parser could follow
            StatementKind mainVerb = DmlAnalyzer.mainVerb(t);
            kind = mainVerb == null ? StatementKind.SELECT : mainVerb;
            if (mainVerb != null) {
                unparsed = mainVerb + " whose target table could not be found";
            }
            return;
        }
        kind = DmlAnalyzer.mainVerb(t);
        table = facts.table();
        dml = facts;
    }

    // ---------------------------------------------------------------- DO

    /**
     * {@code DO [LANGUAGE l] body [LANGUAGE l]}: the body runs now, inside the migration, so its static statements
     * are recognised like the file's own (see {@link PlpgsqlBlock}). Other languages are not analysed.
     */
    private void doBlock() {
        kind = StatementKind.DO;
        String language = "plpgsql";
        Token body = null;
        for (int k = 1; k < t.size(); k++) {
            Token x = t.get(k);
            if (x.is("LANGUAGE") && k + 1 < t.size()) {
                Token l = t.get(++k);
                language = l.type() == Token.Type.STRING ? PlpgsqlBlock.stringContent(l.text()) : l.identifier();
            } else if (body == null && (x.type() == Token.Type.DOLLAR_STRING || x.type() == Token.Type.STRING)) {
                body = x;
            }
        }
        if (language == null || !language.equalsIgnoreCase("plpgsql")) {
            unparsed = "DO block in language " + language + ": its body is not analysed";
        } else if (body == null) {
            unparsed = "DO without a body";
        } else {
            block = PlpgsqlBlock.statements(statement, body);
        }
    }

    // ---------------------------------------------------------------- token helpers

    private boolean at(String word) {
        if (word.equals("(")) {
            return i < t.size() && t.get(i).type() == Token.Type.LEFT_PAREN;
        }
        return i < t.size() && t.get(i).is(word);
    }

    private boolean atAny(String... words) {
        return i < t.size() && t.get(i).isAny(words);
    }

    private boolean peekIs(int offset, String word) {
        return i + offset < t.size() && t.get(i + offset).is(word);
    }

    private boolean accept(String... words) {
        for (int k = 0; k < words.length; k++) {
            if (i + k >= t.size() || !t.get(i + k).is(words[k])) {
                return false;
            }
        }
        i += words.length;
        return true;
    }

    private boolean acceptAny(String... words) {
        if (atAny(words)) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(String word) {
        if (!accept(word)) {
            throw new IllegalStateException("expected " + word);
        }
    }

    private void acceptIfNotExists() {
        if (accept("IF", "NOT", "EXISTS")) {
            options.add("IF_NOT_EXISTS");
        }
    }

    private boolean containsWord(String word) {
        return indexOfWord(word, 0) >= 0;
    }

    private int indexOfWord(String word, int from) {
        for (int k = from; k < t.size(); k++) {
            if (t.get(k).is(word)) {
                return k;
            }
        }
        return -1;
    }

    private String readName() {
        Cursor c = new Cursor(t);
        c.pos = i;
        String name = c.name();
        i = c.pos;
        return name;
    }

    private void readNameList() {
        while (i < t.size() && t.get(i).isName() && !atAny("CASCADE", "RESTRICT", "RESTART", "CONTINUE", "ON")) {
            names.add(readName());
            if (at("(")) {
                parenContents(); // DROP FUNCTION f(int): the signature is not part of the name
            }
            if (i < t.size() && t.get(i).text().equals("*")) {
                i++;
            }
            if (i < t.size() && t.get(i).type() == Token.Type.COMMA) {
                i++;
            } else {
                break;
            }
        }
    }

    /** Tokens inside the parenthesis at {@link #i}; moves past the closing one. */
    private List<Token> parenContents() {
        int start = i + 1;
        int depth = 0;
        for (int k = i; k < t.size(); k++) {
            Token x = t.get(k);
            if (x.type() == Token.Type.LEFT_PAREN) {
                depth++;
            } else if (x.type() == Token.Type.RIGHT_PAREN) {
                depth--;
                if (depth == 0) {
                    i = k + 1;
                    return t.subList(start, k);
                }
            }
        }
        i = t.size();
        return t.subList(Math.min(start, t.size()), t.size());
    }

    /** Splits at commas outside parentheses. */
    static List<List<Token>> splitTopLevel(List<Token> tokens) {
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int k = 0; k < tokens.size(); k++) {
            Token x = tokens.get(k);
            if (x.type() == Token.Type.LEFT_PAREN || x.type() == Token.Type.LEFT_BRACKET) {
                depth++;
            } else if (x.type() == Token.Type.RIGHT_PAREN || x.type() == Token.Type.RIGHT_BRACKET) {
                depth--;
            } else if (x.type() == Token.Type.COMMA && depth == 0) {
                parts.add(tokens.subList(start, k));
                start = k + 1;
            }
        }
        if (start < tokens.size()) {
            parts.add(tokens.subList(start, tokens.size()));
        }
        return parts;
    }

    static String join(List<Token> tokens) {
        StringBuilder b = new StringBuilder();
        Token previous = null;
        for (Token x : tokens) {
            if (previous != null && x.start() > previous.end()) {
                b.append(' ');
            }
            b.append(x.text());
            previous = x;
        }
        return b.toString();
    }

    /** A position in a token list with the same accept helpers, for sub-clauses. */
    static final class Cursor {
        final List<Token> tokens;
        int pos;

        Cursor(List<Token> tokens) {
            this.tokens = tokens;
        }

        boolean accept(String... words) {
            for (int k = 0; k < words.length; k++) {
                if (pos + k >= tokens.size() || !tokens.get(pos + k).is(words[k])) {
                    return false;
                }
            }
            pos += words.length;
            return true;
        }

        boolean atAny(String... words) {
            return pos < tokens.size() && tokens.get(pos).isAny(words);
        }

        /** A possibly qualified name ({@code schema.table}), folded; null when none is here. */
        String name() {
            StringBuilder b = new StringBuilder();
            while (pos < tokens.size() && tokens.get(pos).isName()) {
                b.append(tokens.get(pos).identifier());
                pos++;
                if (pos + 1 < tokens.size() && tokens.get(pos).type() == Token.Type.DOT && tokens.get(pos + 1).isName()) {
                    b.append('.');
                    pos++;
                } else {
                    break;
                }
            }
            return b.length() == 0 ? null : b.toString();
        }
    }
}
