package io.migrationrunbook.db;

import io.migrationrunbook.core.RunbookException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Facts about the server and database behind a connection, read in one round trip: what backup, precheck and
 * "Test connection" all need first.
 */
public record ServerInfo(String serverVersion, int serverVersionNum, String database, String user,
                         long databaseSizeBytes, boolean superuser) {

    public int majorVersion() {
        return serverVersionNum / 10000;
    }

    public static ServerInfo read(DatabaseTarget target) {
        try (Connection connection = target.connect()) {
            return read(connection);
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "reading the server facts", "run it again: it only reads.",
                    () -> RunbookException.environment("Cannot read server facts from " + target.database() + ": " + e.getMessage(), e));
        }
    }

    public static ServerInfo read(Connection connection) throws SQLException {
        String sql = "SELECT current_setting('server_version'), current_setting('server_version_num')::int, "
                + "current_database(), current_user, pg_database_size(current_database()), "
                + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new ServerInfo(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getBoolean(6));
        }
    }
}
