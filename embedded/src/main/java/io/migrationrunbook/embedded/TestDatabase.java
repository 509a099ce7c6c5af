package io.migrationrunbook.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A fresh database on a real PostgreSQL server, for one test. */
public record TestDatabase(PostgresServer server, String name) {

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String user() {
        return server.user();
    }

    /** Null when the server trusts local connections (the embedded one). */
    public String password() {
        return server.password();
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs SQL statements (separated as the JDBC driver allows: one string may hold several). */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + name + ": " + e.getMessage(), e);
        }
    }

    public long queryLong(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed on " + name + ": " + e.getMessage(), e);
        }
    }
}
