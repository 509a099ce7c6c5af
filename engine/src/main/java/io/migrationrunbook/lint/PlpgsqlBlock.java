package io.migrationrunbook.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements a DO block runs. A DO block's PL/pgSQL body executes immediately, inside the migration, so its
 * static SQL statements take the same locks and make the same changes as if they were written at the top level.
 * This walks the body's tokens ({@link SqlScanner}: dollar quotes, comments and strings are already handled) and
 * keeps the SQL statements, skipping PL/pgSQL's own syntax: labels, DECLARE sections, BEGIN/EXCEPTION/END,
 * IF/ELSIF/ELSE/CASE/WHEN ... THEN, LOOP/WHILE/FOR/FOREACH headers, assignments ({@code :=}), RAISE, PERFORM,
 * RETURN, EXIT, CONTINUE, ASSERT, NULL, GET DIAGNOSTICS and cursor commands. {@code EXECUTE} runs SQL built at run
 * time: it comes back as a not-analysed part, as does anything the walk cannot follow. Never throws.
 *
 * <p>Function and procedure bodies ({@code CREATE FUNCTION ... AS $$ ... $$}) are deliberately not walked: they
 * run later, when called, not while the migration holds its locks.
 */
final class PlpgsqlBlock {

    static final String DYNAMIC = "EXECUTE runs dynamic SQL built when the DO block runs; it cannot be checked statically";

    private final SqlStatement enclosing;
    private final String body;
    private final List<Token> tokens = new ArrayList<>();
    private final List<Token> comments = new ArrayList<>();
    private final List<ParsedStatement> out = new ArrayList<>();
    /** Offset in the body after which comments belong to the next statement (suppressions). */
    private int boundary;

    private PlpgsqlBlock(SqlStatement enclosing, String body) {
        this.enclosing = enclosing;
        this.body = body;
    }

    /** The statements of the DO statement's body token (a dollar-quoted or standard string), in order. */
    static List<ParsedStatement> statements(SqlStatement doStatement, Token bodyToken) {
        String text = bodyToken.text();
        String body;
        if (bodyToken.type() == Token.Type.DOLLAR_STRING) {
            int tagEnd = text.indexOf('$', 1) + 1;
            String tag = text.substring(0, tagEnd);
            boolean closed = text.length() >= 2 * tag.length() && text.endsWith(tag);
            body = text.substring(tagEnd, closed ? text.length() - tag.length() : text.length());
        } else if (text.startsWith("'")) {
            body = stringContent(text);
        } else {
            return List.of(ParsedStatement.notAnalysed(part(doStatement, bodyToken),
                    "a DO body written as an escape or Unicode string is not analysed; use dollar quoting ($$ ... $$)"));
        }
        PlpgsqlBlock block = new PlpgsqlBlock(doStatement, body);
        try {
            block.walk(bodyToken.line());
        } catch (RuntimeException e) {
            // a construct the walk does not follow must not stop the lint run
            block.out.add(ParsedStatement.notAnalysed(part(doStatement, bodyToken), "the DO block's body could not be "
                    + "followed (" + e.getClass().getSimpleName() + "); review it by hand"));
        }
        return List.copyOf(block.out);
    }

    /** The text of a standard string literal {@code '...'} ({@code ''} is a quote). */
    static String stringContent(String literal) {
        if (!literal.startsWith("'")) {
            return literal;
        }
        int end = literal.length() > 1 && literal.endsWith("'") ? literal.length() - 1 : literal.length();
        return literal.substring(1, end).replace("''", "'");
    }

    private void walk(int firstLine) {
        for (Token x : SqlScanner.tokenize(body, firstLine)) {
            if (x.isComment()) {
                comments.add(x);
            } else if (x.type() != Token.Type.PSQL_META) {
                tokens.add(x);
            }
        }
        int p = 0;
        int n = tokens.size();
        while (p < n) {
            Token x = tokens.get(p);
            if (x.type() == Token.Type.SEMICOLON) {
                boundary = x.end();
                p++;
                continue;
            }
            if (x.type() == Token.Type.OPERATOR && x.text().equals("<<")) {
                p = skipLabel(p);
                continue;
            }
            if (x.type() != Token.Type.WORD) {
                p = statement(p); // e.g. (SELECT ...) UNION ...
                continue;
            }
            switch (x.upper()) {
                case "DECLARE" -> {
                    int begin = wordAtDepth0(p + 1, "BEGIN");
                    if (begin < 0) {
                        notAnalysed(p, n, "a DECLARE section without BEGIN");
                        return;
                    }
                    boundary = tokens.get(begin).start();
                    p = begin;
                }
                case "BEGIN", "LOOP", "ELSE", "EXCEPTION" -> p++;
                case "IF", "ELSIF", "ELSEIF", "WHEN" -> {
                    int then = wordAtDepth0(p + 1, "THEN");
                    if (then < 0) {
                        notAnalysed(p, n, x.upper() + " without THEN");
                        return;
                    }
                    p = then + 1;
                }
                case "CASE" -> {
                    int when = wordAtDepth0(p + 1, "WHEN");
                    if (when < 0) {
                        notAnalysed(p, n, "CASE without WHEN");
                        return;
                    }
                    p = when;
                }
                case "WHILE", "FOR", "FOREACH" -> {
                    int loop = wordAtDepth0(p + 1, "LOOP");
                    if (loop < 0) {
                        notAnalysed(p, n, x.upper() + " without LOOP");
                        return;
                    }
                    int execute = wordAtDepth0(p + 1, "EXECUTE");
                    if (execute >= 0 && execute < loop) {
                        out.add(ParsedStatement.notAnalysed(part(p, loop + 1), "FOR ... IN " + DYNAMIC));
                    }
                    p = loop + 1;
                }
                case "EXECUTE" -> {
                    int end = semicolon(p);
                    out.add(ParsedStatement.notAnalysed(part(p, end), DYNAMIC));
                    p = end;
                }
                case "END", "RETURN", "RAISE", "PERFORM", "ASSERT", "NULL", "EXIT", "CONTINUE", "GET", "OPEN", "FETCH",
                        "MOVE", "CLOSE" -> {
                    // PL/pgSQL statements that change no schema or data by themselves (PERFORM: a query for its
                    // side effects, like a top-level SELECT, which is not analysed either)
                    p = semicolon(p);
                }
                default -> p = isAssignment(p) ? semicolon(p) : statement(p);
            }
        }
    }

    /** {@code <<label>>}: skipped. */
    private int skipLabel(int p) {
        int k = p + 1;
        while (k < tokens.size() && !(tokens.get(k).type() == Token.Type.OPERATOR && tokens.get(k).text().equals(">>"))) {
            k++;
        }
        return Math.min(k + 1, tokens.size());
    }

    /** {@code target := expr;}, {@code rec.field := expr;}, {@code arr[1] = expr;}. */
    private boolean isAssignment(int p) {
        int k = p;
        if (!tokens.get(k).isName()) {
            return false;
        }
        k++;
        while (k < tokens.size()) {
            Token x = tokens.get(k);
            if (x.type() == Token.Type.DOT && k + 1 < tokens.size() && tokens.get(k + 1).isName()) {
                k += 2;
            } else if (x.type() == Token.Type.LEFT_BRACKET) {
                int depth = 0;
                while (k < tokens.size()) {
                    Token y = tokens.get(k++);
                    if (y.type() == Token.Type.LEFT_BRACKET) {
                        depth++;
                    } else if (y.type() == Token.Type.RIGHT_BRACKET && --depth == 0) {
                        break;
                    }
                }
            } else {
                return x.type() == Token.Type.OPERATOR && (x.text().equals(":=") || x.text().equals("="));
            }
        }
        return false;
    }

    /** A SQL statement from {@code p} to its semicolon: recognised like a statement of the file. */
    private int statement(int p) {
        int end = semicolon(p);
        out.add(StatementRecognizer.recognize(part(p, end)));
        return end;
    }

    private void notAnalysed(int from, int to, String what) {
        out.add(ParsedStatement.notAnalysed(part(from, to), "the DO block's body has " + what + "; the rest of it is "
                + "not analysed"));
    }

    /** Index after the semicolon ending the statement at {@code p} (outside parentheses), or the end. */
    private int semicolon(int p) {
        int depth = 0;
        for (int k = p; k < tokens.size(); k++) {
            Token x = tokens.get(k);
            switch (x.type()) {
                case LEFT_PAREN, LEFT_BRACKET -> depth++;
                case RIGHT_PAREN, RIGHT_BRACKET -> depth--;
                case SEMICOLON -> {
                    if (depth <= 0) {
                        return k + 1;
                    }
                }
                default -> { }
            }
        }
        return tokens.size();
    }

    /** Index of {@code word} at parenthesis depth 0 from {@code p} on, before the next semicolon; -1 when none. */
    private int wordAtDepth0(int p, String word) {
        int depth = 0;
        for (int k = p; k < tokens.size(); k++) {
            Token x = tokens.get(k);
            switch (x.type()) {
                case LEFT_PAREN, LEFT_BRACKET -> depth++;
                case RIGHT_PAREN, RIGHT_BRACKET -> depth--;
                case SEMICOLON -> {
                    if (depth <= 0 && !word.equals("BEGIN")) {
                        return -1;
                    }
                }
                default -> {
                    if (depth <= 0 && x.is(word)) {
                        return k;
                    }
                }
            }
        }
        return -1;
    }

    /** Tokens {@code [from, to)} as a statement of the DO block, with the comments in front of it. */
    private SqlStatement part(int from, int to) {
        to = Math.max(to, from + 1);
        List<Token> body = List.copyOf(tokens.subList(from, Math.min(to, tokens.size())));
        Token first = body.get(0);
        Token last = body.get(body.size() - 1);
        List<Token> leading = new ArrayList<>();
        for (Token c : comments) {
            if (c.start() >= boundary && c.end() <= first.start()) {
                leading.add(c);
            }
        }
        boundary = last.end();
        return new SqlStatement(enclosing.index(), this.body.substring(first.start(), last.end()), first.line(), last.line(),
                body, List.copyOf(leading), null, enclosing);
    }

    /** The whole body token as one part (when it cannot be walked). */
    private static SqlStatement part(SqlStatement enclosing, Token bodyToken) {
        return new SqlStatement(enclosing.index(), bodyToken.text(), bodyToken.line(), bodyToken.line(), List.of(bodyToken),
                List.of(), null, enclosing);
    }
}
