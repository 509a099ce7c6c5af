package io.migrationrunbook.lint;

import java.util.Locale;

/**
 * One lexical token of PostgreSQL SQL.
 *
 * @param type   what kind of token
 * @param text   the token exactly as written (quotes and dollar tags included)
 * @param line   1-based line where the token starts
 * @param start  offset of the first character in the script
 * @param end    offset after the last character
 */
public record Token(Type type, String text, int line, int start, int end) {

    public enum Type {
        /** Keyword or unquoted identifier. */
        WORD,
        /** "Quoted identifier" (also U&amp;"..."). */
        QUOTED_IDENTIFIER,
        /** '...', E'...', B'...', X'...', N'...', U&amp;'...'. */
        STRING,
        /** $$...$$ or $tag$...$tag$. */
        DOLLAR_STRING,
        NUMBER,
        /** $1, $2: positional parameters. */
        PARAMETER,
        OPERATOR,
        LEFT_PAREN,
        RIGHT_PAREN,
        LEFT_BRACKET,
        RIGHT_BRACKET,
        COMMA,
        DOT,
        SEMICOLON,
        LINE_COMMENT,
        BLOCK_COMMENT,
        /** The data lines of COPY ... FROM stdin, up to and including the terminating backslash-dot line. */
        COPY_DATA,
        /** A psql meta-command line (\set, \i ...): not SQL; kept so nothing is lost. */
        PSQL_META
    }

    public boolean isComment() {
        return type == Type.LINE_COMMENT || type == Type.BLOCK_COMMENT;
    }

    /** True for a keyword or unquoted identifier equal to {@code word} (case-insensitive). */
    public boolean is(String word) {
        return type == Type.WORD && text.equalsIgnoreCase(word);
    }

    public boolean isAny(String... words) {
        for (String word : words) {
            if (is(word)) {
                return true;
            }
        }
        return false;
    }

    /** Upper-case text of a word, the raw text otherwise. */
    public String upper() {
        return type == Type.WORD ? text.toUpperCase(Locale.ROOT) : text;
    }

    /**
     * The name this token denotes as PostgreSQL resolves it: unquoted identifiers fold to lower case, quoted
     * ones keep their case without the quotes.
     */
    public String identifier() {
        if (type == Type.QUOTED_IDENTIFIER) {
            String body = text.startsWith("U&") || text.startsWith("u&") ? text.substring(2) : text;
            return body.substring(1, body.length() - 1).replace("\"\"", "\"");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    public boolean isName() {
        return type == Type.WORD || type == Type.QUOTED_IDENTIFIER;
    }
}
