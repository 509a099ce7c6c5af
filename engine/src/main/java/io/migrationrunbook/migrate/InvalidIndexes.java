package io.migrationrunbook.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds indexes marked invalid in every user schema, in one catalog query. Not only Flyway's schemas: a migration can
 * build an index on a table in any schema, and the index lives in its table's schema.
 */
public final class InvalidIndexes {

    private static final String SQL = """
            SELECT n.nspname, t.relname, i.relname, quote_ident(n.nspname) || '.' || quote_ident(i.relname), pg_get_indexdef(i.oid)
              FROM pg_index x
              JOIN pg_class i ON i.oid = x.indexrelid
              JOIN pg_class t ON t.oid = x.indrelid
              JOIN pg_namespace n ON n.oid = i.relnamespace
             WHERE NOT x.indisvalid
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
             ORDER BY 1, 3""";

    private InvalidIndexes() {
    }

    /**
     * @param alreadyKnown qualified names ({@code schema.index}) of indexes known invalid before: marked pre-existing
     */
    public static List<InvalidIndex> find(Connection connection, Set<String> alreadyKnown) throws SQLException {
        List<InvalidIndex> found = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(SQL)) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1) + "." + rs.getString(3);
                    found.add(InvalidIndex.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            alreadyKnown.contains(key)));
                }
            }
        }
        return found;
    }
}
