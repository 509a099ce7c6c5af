package io.migrationrunbook.migrate;

import io.migrationrunbook.db.DatabaseTarget;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * Flyway's connections come from {@link DatabaseTarget#connect()} (same login, application name and error messages)
 * and start with the session settings already made: Flyway opens extra connections (for SQL callbacks such as
 * {@code beforeMigrate.sql}, for its lock) on which its {@code AFTER_CONNECT} event does not fire.
 */
final class TargetDataSource implements DataSource {

    private final DatabaseTarget target;
    private final String sessionSql;

    TargetDataSource(DatabaseTarget target, String sessionSql) {
        this.target = target;
        this.sessionSql = sessionSql;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = target.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute(sessionSql);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The runbook connects with its configured user only.");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 10;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
