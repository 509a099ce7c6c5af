package io.migrationrunbook.lint;

import java.util.List;

/**
 * What a data-changing statement touches.
 *
 * @param table        the table written to
 * @param hasWhere     UPDATE/DELETE restricted by a WHERE clause (always true for INSERT ... VALUES)
 * @param sourceTables tables read by INSERT ... SELECT / UPDATE ... FROM / MERGE ... USING
 * @param parser       {@code jsqlparser} when JSqlParser understood the statement, {@code tokens} for the fallback
 */
public record DmlFacts(String table, boolean hasWhere, List<String> sourceTables, String parser) {
}
