package io.migrationrunbook.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into tokens and statements without ever failing on valid input: dollar quoting
 * ({@code $$} and tagged {@code $fn$}), nested block comments, {@code --} comments, standard and {@code E''}
 * strings (backslash escapes), quoted identifiers, {@code COPY ... FROM stdin} data blocks ended by a
 * backslash-dot line, {@code BEGIN ATOMIC ... END} function bodies and psql meta-commands. Unterminated
 * constructs run to the end of the script (PostgreSQL would reject them; the linter reports what it saw).
 */
public final class SqlScanner {

    private final String sql;
    private int pos;
    private int line = 1;

    private SqlScanner(String sql) {
        this.sql = sql;
    }

    /** All tokens, comments included, in order. */
    public static List<Token> tokenize(String sql) {
        return tokenize(sql, 1);
    }

    /**
     * All tokens of {@code sql}, comments included, numbering lines from {@code firstLine}: for text cut out of a
     * file (a DO block's body), so token lines are file lines.
     */
    static List<Token> tokenize(String sql, int firstLine) {
        SqlScanner scanner = new SqlScanner(sql);
        scanner.line = firstLine;
        List<Token> tokens = new ArrayList<>();
        Token token;
        while ((token = scanner.next()) != null) {
            tokens.add(token);
        }
        return tokens;
    }

    /** The statements of a script, each with its own significant tokens and the comments in front of it. */
    public static SqlScript split(String sql) {
        SqlScanner scanner = new SqlScanner(sql);
        List<SqlStatement> statements = new ArrayList<>();
        List<Token> comments = new ArrayList<>();
        List<Token> leading = new ArrayList<>();
        List<Token> body = new ArrayList<>();
        int depth = 0;
        int atomicDepth = 0;
        Token token;
        while ((token = scanner.next()) != null) {
            if (token.isComment() || token.type() == Token.Type.PSQL_META) {
                if (token.isComment()) {
                    comments.add(token);
                }
                if (body.isEmpty()) {
                    leading.add(token);
                }
                continue;
            }
            if (token.type() == Token.Type.SEMICOLON && depth <= 0 && atomicDepth == 0) {
                if (!body.isEmpty()) {
                    body.add(token);
                    SqlStatement statement = scanner.statement(statements.size(), body, leading);
                    statements.add(statement);
                    if (isCopyFromStdin(body)) {
                        Token data = scanner.copyData();
                        if (data != null) {
                            statements.set(statements.size() - 1, statement.withCopyData(data));
                        }
                    }
                }
                body = new ArrayList<>();
                leading = new ArrayList<>();
                depth = 0;
                continue;
            }
            body.add(token);
            switch (token.type()) {
                case LEFT_PAREN, LEFT_BRACKET -> depth++;
                case RIGHT_PAREN, RIGHT_BRACKET -> depth--;
                default -> atomicDepth = trackAtomic(body, token, atomicDepth);
            }
        }
        if (!body.isEmpty()) {
            statements.add(scanner.statement(statements.size(), body, leading));
        }
        return new SqlScript(sql, List.copyOf(statements), List.copyOf(comments));
    }

    /** SQL-standard function bodies (PG 14+) hold semicolons between BEGIN ATOMIC and the matching END. */
    private static int trackAtomic(List<Token> body, Token token, int atomicDepth) {
        if (token.type() != Token.Type.WORD || !isRoutineDefinition(body)) {
            return atomicDepth;
        }
        int n = body.size();
        if (token.is("ATOMIC") && n >= 2 && body.get(n - 2).is("BEGIN")) {
            return atomicDepth + 1;
        }
        if (atomicDepth > 0 && token.is("CASE")) {
            return atomicDepth + 1;
        }
        if (atomicDepth > 0 && token.is("END")) {
            return atomicDepth - 1;
        }
        return atomicDepth;
    }

    private static boolean isRoutineDefinition(List<Token> body) {
        if (body.isEmpty() || !body.get(0).is("CREATE")) {
            return false;
        }
        for (int i = 1; i < Math.min(body.size(), 5); i++) {
            if (body.get(i).isAny("FUNCTION", "PROCEDURE")) {
                return true;
            }
        }
        return false;
    }

    static boolean isCopyFromStdin(List<Token> body) {
        if (body.isEmpty() || !body.get(0).is("COPY")) {
            return false;
        }
        for (int i = 1; i + 1 < body.size(); i++) {
            if (body.get(i).is("FROM") && body.get(i + 1).is("STDIN")) {
                return true;
            }
        }
        return false;
    }

    private SqlStatement statement(int index, List<Token> body, List<Token> leading) {
        Token first = body.get(0);
        Token last = body.get(body.size() - 1);
        return new SqlStatement(index, sql.substring(first.start(), last.end()), first.line(), last.line(),
                List.copyOf(body), List.copyOf(leading), null, null);
    }

    /** After COPY ... FROM stdin; the data runs from the next line to a line holding only a backslash and a dot. */
    private Token copyData() {
        int newline = sql.indexOf('\n', pos);
        if (newline < 0) {
            return null;
        }
        // the rest of the COPY line (normally empty)
        line++;
        pos = newline + 1;
        int start = pos;
        int startLine = line;
        while (pos < sql.length()) {
            int end = sql.indexOf('\n', pos);
            String current = end < 0 ? sql.substring(pos) : sql.substring(pos, end);
            pos = end < 0 ? sql.length() : end + 1;
            if (end >= 0) {
                line++;
            }
            if (current.strip().equals("\\.")) {
                break;
            }
        }
        return new Token(Token.Type.COPY_DATA, sql.substring(start, pos), startLine, start, pos);
    }

    private Token next() {
        skipWhitespace();
        if (pos >= sql.length()) {
            return null;
        }
        int start = pos;
        int startLine = line;
        char c = sql.charAt(pos);
        char n = pos + 1 < sql.length() ? sql.charAt(pos + 1) : '\0';
        Token.Type type;
        if (c == '-' && n == '-') {
            advanceTo(lineEnd(pos));
            type = Token.Type.LINE_COMMENT;
        } else if (c == '/' && n == '*') {
            blockComment();
            type = Token.Type.BLOCK_COMMENT;
        } else if (c == '\'') {
            standardString();
            type = Token.Type.STRING;
        } else if ((c == 'E' || c == 'e') && n == '\'') {
            pos++;
            escapeString();
            type = Token.Type.STRING;
        } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && n == '\'') {
            pos++;
            standardString();
            type = Token.Type.STRING;
        } else if ((c == 'U' || c == 'u') && n == '&' && pos + 2 < sql.length()
                && (sql.charAt(pos + 2) == '\'' || sql.charAt(pos + 2) == '"')) {
            pos += 2;
            if (sql.charAt(pos) == '\'') {
                standardString();
                type = Token.Type.STRING;
            } else {
                quotedIdentifier();
                type = Token.Type.QUOTED_IDENTIFIER;
            }
        } else if (c == '"') {
            quotedIdentifier();
            type = Token.Type.QUOTED_IDENTIFIER;
        } else if (c == '$' && Character.isDigit(n)) {
            pos++;
            while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                pos++;
            }
            type = Token.Type.PARAMETER;
        } else if (c == '$' && dollarTagEnd(pos) > 0) {
            dollarString();
            type = Token.Type.DOLLAR_STRING;
        } else if (isIdentifierStart(c)) {
            while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
                pos++;
            }
            type = Token.Type.WORD;
        } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(n))) {
            number();
            type = Token.Type.NUMBER;
        } else if (c == '\\' && atLineStart(start)) {
            advanceTo(lineEnd(pos));
            type = Token.Type.PSQL_META;
        } else {
            type = punctuation(c, n);
        }
        return new Token(type, sql.substring(start, pos), startLine, start, pos);
    }

    private Token.Type punctuation(char c, char n) {
        pos++;
        switch (c) {
            case ';': return Token.Type.SEMICOLON;
            case '(': return Token.Type.LEFT_PAREN;
            case ')': return Token.Type.RIGHT_PAREN;
            case '[': return Token.Type.LEFT_BRACKET;
            case ']': return Token.Type.RIGHT_BRACKET;
            case ',': return Token.Type.COMMA;
            case '.': return Token.Type.DOT;
            case ':':
                if (n == ':' || n == '=') {
                    pos++;
                }
                return Token.Type.OPERATOR;
            default:
                if (isOperatorChar(c)) {
                    while (pos < sql.length() && isOperatorChar(sql.charAt(pos)) && !startsComment(pos)) {
                        pos++;
                    }
                }
                return Token.Type.OPERATOR;
        }
    }

    private boolean startsComment(int at) {
        if (at + 1 >= sql.length()) {
            return false;
        }
        char a = sql.charAt(at);
        char b = sql.charAt(at + 1);
        return (a == '-' && b == '-') || (a == '/' && b == '*');
    }

    private static boolean isOperatorChar(char c) {
        return "+-*/<>=~!@#%^&|`?".indexOf(c) >= 0;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    private boolean atLineStart(int at) {
        for (int i = at - 1; i >= 0; i--) {
            char c = sql.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private void skipWhitespace() {
        while (pos < sql.length() && Character.isWhitespace(sql.charAt(pos))) {
            if (sql.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private int lineEnd(int from) {
        int end = sql.indexOf('\n', from);
        return end < 0 ? sql.length() : end;
    }

    /** Moves to {@code target}, counting the newlines passed. */
    private void advanceTo(int target) {
        for (int i = pos; i < target; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        pos = target;
    }

    private void blockComment() {
        int depth = 0;
        int i = pos;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    break;
                }
            } else {
                i++;
            }
        }
        advanceTo(Math.min(i, sql.length()));
    }

    /** '...' where '' is a quote and backslash is an ordinary character (standard_conforming_strings). */
    private void standardString() {
        int i = pos + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                i++;
                advanceTo(i);
                return;
            }
            i++;
        }
        advanceTo(sql.length());
    }

    /** E'...': backslash escapes the next character, '' is still a quote. */
    private void escapeString() {
        int i = pos + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                advanceTo(i + 1);
                return;
            }
            i++;
        }
        advanceTo(sql.length());
    }

    private void quotedIdentifier() {
        int i = pos + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == '"') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '"') {
                    i += 2;
                    continue;
                }
                advanceTo(i + 1);
                return;
            }
            i++;
        }
        advanceTo(sql.length());
    }

    /** End (exclusive) of a dollar-quote tag starting at {@code at}, or -1 when {@code $} starts none. */
    private int dollarTagEnd(int at) {
        int i = at + 1;
        if (i < sql.length() && sql.charAt(i) == '$') {
            return i + 1;
        }
        if (i >= sql.length() || !(Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) >= 0x80)) {
            return -1;
        }
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) >= 0x80)) {
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '$' ? i + 1 : -1;
    }

    private void dollarString() {
        int tagEnd = dollarTagEnd(pos);
        String tag = sql.substring(pos, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        advanceTo(close < 0 ? sql.length() : close + tag.length());
    }

    private void number() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isDigit(c) || c == '.' || c == '_') {
                pos++;
            } else if ((c == 'e' || c == 'E') && pos + 1 < sql.length()
                    && (Character.isDigit(sql.charAt(pos + 1)) || sql.charAt(pos + 1) == '+' || sql.charAt(pos + 1) == '-')) {
                pos += 2;
            } else {
                break;
            }
        }
    }
}
