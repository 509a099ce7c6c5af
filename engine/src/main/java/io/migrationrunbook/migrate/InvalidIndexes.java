package io.migrationrunbook.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Finds indexes marked invalid in some schemas, in one catalog query. */
public final class InvalidIndexes {

    private static final String SQL = """
            SELECT n.nspname, t.relname, i.relname, quote_ident(n.nspname) || '.' || quote_ident(i.relname), pg_get_indexdef(i.oid)
              FROM pg_index x
              JOIN pg_class i ON i.oid = x.indexrelid
              JOIN pg_class t ON t.oid = x.indrelid
              JOIN pg_namespace n ON n.oid = i.relnamespace
             WHERE NOT x.indisvalid AND n.nspname = ANY (?)
             ORDER BY 1, 3""";

    private InvalidIndexes() {
    }

    /**
     * @param alreadyKnown qualified names ({@code schema.index}) of indexes known invalid before: marked pre-existing
     */
    public static List<InvalidIndex> find(Connection connection, Collection<String> schemas, Set<String> alreadyKnown) throws SQLException {
        List<InvalidIndex> found = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(SQL)) {
            s.setArray(1, connection.createArrayOf("text", schemas.toArray()));
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
