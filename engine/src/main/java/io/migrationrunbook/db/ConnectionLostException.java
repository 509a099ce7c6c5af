package io.migrationrunbook.db;

import io.migrationrunbook.core.RunbookException;

import java.sql.SQLException;

/**
 * An ENVIRONMENT failure: the connection to a database broke while the runbook used it (SQLSTATE class 08, or
 * 57P01-57P03). Built only by {@link DatabaseTarget#lostConnection}, so the message is the same everywhere: which
 * database, what the runbook was doing, why the server went away, what to do. Its own type so that an outer operation
 * passes it on instead of describing the same loss again.
 */
public final class ConnectionLostException extends RunbookException {

    private final String sqlState;

    ConnectionLostException(String message, SQLException cause) {
        super(Kind.ENVIRONMENT, message, cause);
        this.sqlState = cause.getSQLState();
    }

    /** The SQLSTATE the driver or server reported: 08xxx, 57P01, 57P02 or 57P03. */
    public String sqlState() {
        return sqlState;
    }
}
