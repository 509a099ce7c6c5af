package io.migrationrunbook.lint;

import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.feature.Feature;
import net.sf.jsqlparser.parser.feature.FeatureConfiguration;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * UPDATE / DELETE / INSERT / MERGE facts: JSqlParser first (it covers PostgreSQL DML well: joins, CTEs,
 * RETURNING, ON CONFLICT), then a token-level reading of the same facts when JSqlParser does not follow a
 * PostgreSQL-only construct.
 */
final class DmlAnalyzer {

    private DmlAnalyzer() {
    }

    static DmlFacts analyze(SqlStatement statement, List<Token> tokens) {
        StatementKind verb = mainVerb(tokens);
        if (verb == null) {
            return null;
        }
        DmlFacts parsed = worthParsing(verb, tokens) ? withJsqlParser(StatementRecognizer.join(tokens)) : null;
        return parsed != null ? parsed : withTokens(verb, tokens);
    }

    /**
     * JSqlParser costs about a millisecond per statement and much more when it fails: skip it where the tokens already
     * say everything (INSERT ... VALUES) or where it is known not to follow PostgreSQL (dollar quotes, U&amp; strings),
     * and for very long statements (bulk VALUES lists).
     */
    private static boolean worthParsing(StatementKind verb, List<Token> tokens) {
        if (tokens.size() > MAX_TOKENS_FOR_PARSER) {
            return false;
        }
        boolean select = false;
        for (Token t : tokens) {
            if (t.type() == Token.Type.DOLLAR_STRING || t.type() == Token.Type.PARAMETER
                    || (t.type() == Token.Type.STRING && (t.text().startsWith("U&") || t.text().startsWith("u&")))) {
                return false;
            }
            select |= t.is("SELECT");
        }
        return verb != StatementKind.INSERT || select;
    }

    private static final int MAX_TOKENS_FOR_PARSER = 2_000;
    private static final FeatureConfiguration SIMPLE = new FeatureConfiguration().setValue(Feature.allowComplexParsing, false);

    private static DmlFacts withJsqlParser(String sql) {
        Statement parsed;
        try {
            parsed = CCJSqlParserUtil.newParser(sql).withConfiguration(SIMPLE).Statement();
        } catch (Exception | Error e) { // JavaCC throws TokenMgrError on characters it does not know
            return null;
        }
        try {
            Set<String> all = new LinkedHashSet<>();
            for (String name : new TablesNamesFinder<>().getTables(parsed)) {
                all.add(normalize(name));
            }
            if (parsed instanceof Update update && update.getTable() != null) {
                String table = normalize(update.getTable());
                return new DmlFacts(table, update.getWhere() != null, sources(all, table), "jsqlparser");
            }
            if (parsed instanceof Delete delete && delete.getTable() != null) {
                String table = normalize(delete.getTable());
                return new DmlFacts(table, delete.getWhere() != null, sources(all, table), "jsqlparser");
            }
            if (parsed instanceof Insert insert && insert.getTable() != null) {
                String table = normalize(insert.getTable());
                boolean values = insert.getSelect() == null || insert.getSelect() instanceof Values;
                List<String> sources = values ? List.of() : sources(all, table);
                boolean where = values || sql.toUpperCase(Locale.ROOT).contains("WHERE");
                return new DmlFacts(table, where, sources, "jsqlparser");
            }
            if (parsed instanceof Merge merge && merge.getTable() != null) {
                String table = normalize(merge.getTable());
                return new DmlFacts(table, false, sources(all, table), "jsqlparser");
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static List<String> sources(Set<String> all, String target) {
        List<String> sources = new ArrayList<>(all);
        sources.remove(target);
        return List.copyOf(sources);
    }

    private static String normalize(Table table) {
        return normalize(table.getFullyQualifiedName());
    }

    /** JSqlParser keeps quotes and case: fold the way PostgreSQL resolves names. */
    static String normalize(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("\\.")) {
            if (b.length() > 0) {
                b.append('.');
            }
            if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
                b.append(part, 1, part.length() - 1);
            } else {
                b.append(part.toLowerCase(Locale.ROOT));
            }
        }
        return b.toString();
    }

    /** The verb after any WITH clauses: UPDATE, DELETE, INSERT, MERGE, or null for a query. */
    static StatementKind mainVerb(List<Token> t) {
        int i = 0;
        if (i < t.size() && t.get(i).is("WITH")) {
            i = skipWith(t);
        }
        if (i >= t.size()) {
            return null;
        }
        Token verb = t.get(i);
        if (verb.is("UPDATE")) {
            return StatementKind.UPDATE;
        }
        if (verb.is("DELETE")) {
            return StatementKind.DELETE;
        }
        if (verb.is("INSERT")) {
            return StatementKind.INSERT;
        }
        if (verb.is("MERGE")) {
            return StatementKind.MERGE;
        }
        return null;
    }

    /** Index of the first token after {@code WITH [RECURSIVE] a AS (...), b AS (...)}. */
    private static int skipWith(List<Token> t) {
        int i = 1;
        if (i < t.size() && t.get(i).is("RECURSIVE")) {
            i++;
        }
        while (i < t.size()) {
            // name [ (columns) ] AS [NOT] [MATERIALIZED] ( query )
            i++;
            if (i < t.size() && t.get(i).type() == Token.Type.LEFT_PAREN) {
                i = afterParens(t, i);
            }
            while (i < t.size() && t.get(i).isAny("AS", "NOT", "MATERIALIZED")) {
                i++;
            }
            if (i < t.size() && t.get(i).type() == Token.Type.LEFT_PAREN) {
                i = afterParens(t, i);
            }
            // SEARCH / CYCLE clauses of recursive queries
            while (i < t.size() && t.get(i).isAny("SEARCH", "CYCLE")) {
                while (i < t.size() && t.get(i).type() != Token.Type.COMMA && !t.get(i).isAny("SELECT", "UPDATE",
                        "DELETE", "INSERT", "MERGE")) {
                    i++;
                }
            }
            if (i < t.size() && t.get(i).type() == Token.Type.COMMA) {
                i++;
                continue;
            }
            return i;
        }
        return i;
    }

    private static int afterParens(List<Token> t, int open) {
        int depth = 0;
        for (int k = open; k < t.size(); k++) {
            if (t.get(k).type() == Token.Type.LEFT_PAREN) {
                depth++;
            } else if (t.get(k).type() == Token.Type.RIGHT_PAREN && --depth == 0) {
                return k + 1;
            }
        }
        return t.size();
    }

    /** The same facts read from tokens, for DML JSqlParser does not follow. */
    static DmlFacts withTokens(StatementKind verb, List<Token> t) {
        int i = t.get(0).is("WITH") ? skipWith(t) : 0;
        StatementRecognizer.Cursor c = new StatementRecognizer.Cursor(t);
        c.pos = i + 1;
        switch (verb) {
            case UPDATE -> c.accept("ONLY");
            case DELETE -> {
                c.accept("FROM");
                c.accept("ONLY");
            }
            case INSERT, MERGE -> c.accept("INTO");
            default -> { }
        }
        String table = c.name();
        if (table == null) {
            return null;
        }
        boolean where = false;
        List<String> sources = new ArrayList<>();
        int depth = 0;
        boolean valuesOnly = verb == StatementKind.INSERT;
        for (int k = c.pos; k < t.size(); k++) {
            Token x = t.get(k);
            if (x.type() == Token.Type.LEFT_PAREN) {
                depth++;
            } else if (x.type() == Token.Type.RIGHT_PAREN) {
                depth--;
            } else if (x.is("WHERE") && depth == 0) {
                where = true;
            } else if (x.isAny("FROM", "JOIN", "USING") && k + 1 < t.size() && t.get(k + 1).isName()) {
                StatementRecognizer.Cursor s = new StatementRecognizer.Cursor(t);
                s.pos = k + 1;
                s.accept("ONLY");
                String source = s.name();
                if (source != null && !source.equals(table) && !sources.contains(source)) {
                    sources.add(source);
                }
            } else if (x.is("SELECT")) {
                valuesOnly = false;
            }
        }
        if (verb == StatementKind.INSERT) {
            where = valuesOnly || where;
        }
        return new DmlFacts(table, where, List.copyOf(sources), "tokens");
    }
}
