package io.migrationrunbook.lint;

/**
 * One problem the linter found.
 *
 * @param file        the migration file as given (relative when the input was relative)
 * @param line        1-based line of the statement
 * @param rule        rule id
 * @param severity    error, warning or info
 * @param message     what is wrong in this statement
 * @param lock        the lock the statement takes
 * @param why         why it matters in production
 * @param alternative the safe way to do it
 * @param statement   the statement, shortened
 */
public record Finding(String file, int line, String rule, Severity severity, String message, String lock, String why,
                      String alternative, String statement) {
}
