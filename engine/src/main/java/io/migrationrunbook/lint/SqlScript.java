package io.migrationrunbook.lint;

import java.util.List;

/**
 * A script split into statements.
 *
 * @param text       the whole script
 * @param statements the statements in order
 * @param comments   every comment of the script (file-level directives such as {@code squawk-ignore-file})
 */
public record SqlScript(String text, List<SqlStatement> statements, List<Token> comments) {

    public static SqlScript parse(String text) {
        return SqlScanner.split(text);
    }
}
