package io.migrationrunbook.migrate;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Puts {@code lock_timeout} and {@code statement_timeout} on the session before every migration, so no DDL statement
 * queues behind a long transaction (stalling every writer behind it) for longer than the lock timeout. Every connection
 * starts with them ({@link TargetDataSource}); this callback sets them again on {@code AFTER_CONNECT} and before each
 * migration, so a migration that changed them for itself ({@code SET lock_timeout = '10s'} at its top) does not leak
 * its values into the next one. (Flyway's {@code initSql} would cover new connections only and is deprecated in favour
 * of callbacks.)
 */
final class SessionTimeouts implements Callback {

    private final String sql;

    SessionTimeouts(Duration lockTimeout, Duration statementTimeout) {
        this.sql = sql(lockTimeout, statementTimeout);
    }

    static String sql(Duration lockTimeout, Duration statementTimeout) {
        return "SET lock_timeout = '" + lockTimeout.toMillis() + "ms'; SET statement_timeout = '" + statementTimeout.toMillis() + "ms'";
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_CONNECT || event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new FlywayException("Cannot set the session's lock_timeout and statement_timeout: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "runbook-session-timeouts";
    }
}
