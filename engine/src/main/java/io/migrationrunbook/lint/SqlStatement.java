package io.migrationrunbook.lint;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * One statement of a script as written.
 *
 * @param index           0-based position in the script
 * @param text            the statement text, from its first token to its semicolon
 * @param startLine       1-based line of its first token
 * @param endLine         line of its last token
 * @param tokens          significant tokens (no comments), the semicolon included when present
 * @param leadingComments comments between the previous statement and this one (where suppressions live)
 * @param copyData        the data block of COPY ... FROM stdin, or null
 * @param enclosing       for a statement of a DO block's PL/pgSQL body: the DO statement (whose {@code index} it
 *                        shares: it runs as part of it); null for a statement of the script itself
 */
public record SqlStatement(int index, String text, int startLine, int endLine, @JsonIgnore List<Token> tokens,
                           @JsonIgnore List<Token> leadingComments, @JsonIgnore Token copyData,
                           @JsonIgnore SqlStatement enclosing) {

    SqlStatement withCopyData(Token data) {
        return new SqlStatement(index, text, startLine, endLine, tokens, leadingComments, data, enclosing);
    }

    /** True for a statement inside a DO block's body. */
    @JsonIgnore
    public boolean inDoBlock() {
        return enclosing != null;
    }

    /** Significant tokens without the final semicolon. */
    @JsonIgnore
    public List<Token> body() {
        int n = tokens.size();
        return n > 0 && tokens.get(n - 1).type() == Token.Type.SEMICOLON ? tokens.subList(0, n - 1) : tokens;
    }

    /** The first line of the statement, shortened: for messages. */
    public String summary() {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 100 ? oneLine.substring(0, 97) + "..." : oneLine;
    }
}
