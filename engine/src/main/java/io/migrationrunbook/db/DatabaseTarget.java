package io.migrationrunbook.db;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * One PostgreSQL database the runbook acts on: a JDBC URL, a user and a password that never leaves this
 * object except into the JDBC driver or a child process' environment / passfile.
 *
 * @param jdbcUrl  {@code jdbc:postgresql://HOST[:PORT]/DB[?params]}
 * @param user     the login role
 * @param password may be null (trust or peer authentication)
 */
public record DatabaseTarget(String jdbcUrl, String user, Secret password) implements Serializable {

    private static final String PREFIX = "jdbc:postgresql://";

    public DatabaseTarget {
        if (jdbcUrl == null || !jdbcUrl.startsWith(PREFIX)) {
            throw RunbookException.configuration("The database URL must look like jdbc:postgresql://HOST:PORT/DATABASE, got '"
                    + (jdbcUrl == null ? "" : stripCredentials(jdbcUrl)) + "'. Pass it with --db-url.");
        }
        if (jdbcUrl.contains("password=")) {
            throw RunbookException.configuration("The database URL must not carry a password: pass it through PGPASSWORD or "
                    + "--db-password-file instead, so it never shows in process lists or logs.");
        }
        if (user == null || user.isBlank()) {
            throw RunbookException.configuration("No database user given: pass --db-user NAME.");
        }
        parse(jdbcUrl); // fails early on a URL without a database name
    }

    /** Host, port and database name, as libpq tools (pg_dump, pg_restore, psql) need them. */
    public record Address(String host, int port, String database) implements Serializable {
    }

    public Address address() {
        return parse(jdbcUrl);
    }

    public String host() {
        return address().host();
    }

    public int port() {
        return address().port();
    }

    public String database() {
        return address().database();
    }

    /** The same server and credentials, another database on it (scratch copies, restores, {@code postgres}). */
    public DatabaseTarget withDatabase(String database) {
        Address a = address();
        int query = jdbcUrl.indexOf('?');
        String params = query >= 0 ? jdbcUrl.substring(query) : "";
        return new DatabaseTarget(PREFIX + a.host() + ":" + a.port() + "/" + database + params, user, password);
    }

    public Connection connect() {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password.reveal());
        }
        props.setProperty("ApplicationName", "migration-runbook");
        props.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(jdbcUrl, props);
        } catch (SQLException e) {
            throw connectionFailure(e);
        }
    }

    /**
     * A connection that could not be opened. Deliberately without the SQLException as cause: {@link #lostConnection} looks
     * for one in the cause chain, and a server that was never reached is not a connection lost on the way.
     */
    private RunbookException connectionFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = redact(e.getMessage());
        String where = displayName();
        if (state.startsWith("28")) {
            return RunbookException.environment("Cannot log in to " + where + ": " + message
                    + ". Check the user and the password (PGPASSWORD or --db-password-file).");
        }
        if (state.equals("3D000")) {
            return RunbookException.environment("Database '" + database() + "' does not exist on " + host() + ":" + port()
                    + ". Check --db-url.");
        }
        if (state.startsWith("57P")) {
            // the server is there but not taking sessions (starting up, shutting down, recovering after a crash)
            return RunbookException.environment("Cannot connect to " + where + " (SQLSTATE " + state + ": " + oneLine(message) + "): "
                    + whyLost(state) + " Wait until it accepts connections again (" + pgIsReady() + "), then run again.");
        }
        return RunbookException.environment("Cannot connect to " + where + " (SQLSTATE " + state + "): " + message
                + (message != null && message.endsWith(".") ? "" : ".") + " Check that the server is running and reachable from this machine.");
    }

    /** {@code text} (a driver or tool message quoted in an error) with this target's password masked. */
    public String redact(String text) {
        return password == null || text == null ? text : password.redact(text);
    }

    /** How messages name this database: {@code user@host:port/database} (never the password). */
    public String displayName() {
        return user + "@" + host() + ":" + port() + "/" + database();
    }

    /**
     * Whether a SQLSTATE says the connection itself broke, not the statement: class 08 (connection exception; pgjdbc's
     * "An I/O error occurred while sending to the backend" is 08006) and 57P01 admin shutdown (the server is stopping or
     * an administrator ended the session), 57P02 crash shutdown, 57P03 cannot connect now (starting up or in recovery).
     */
    public static boolean isConnectionLoss(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03"));
    }

    /** The first {@link SQLException} in the cause chain whose SQLSTATE says the connection broke, else null. */
    public static SQLException connectionLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isConnectionLoss(sql.getSQLState())) {
                return sql;
            }
        }
        return null;
    }

    /** What a connection-loss SQLSTATE means, as a sentence. */
    public static String whyLost(String sqlState) {
        return switch (String.valueOf(sqlState)) {
            case "57P01" -> "the server ended the session: it is shutting down, or an administrator terminated the session "
                    + "(pg_terminate_backend).";
            case "57P02" -> "the server is restarting after one of its processes crashed (crash shutdown); it recovers before it "
                    + "accepts connections again.";
            case "57P03" -> "the server does not accept connections now: it is starting up, shutting down or in recovery.";
            default -> "the server stopped, crashed or restarted, or the network failed.";
        };
    }

    /**
     * The one error for a connection to this database that broke while the runbook was {@code doing} something: ENVIRONMENT
     * (exit 3), naming the database, what was being done, why the server went away and what to do. Null when {@code e}
     * (and its causes) is not a lost connection; {@code e} itself when it already is this error (an inner operation
     * described the loss: the outer one passes it on).
     *
     * @param doing what the runbook was doing, after "while" ("verifying the schema", "reading Flyway's schema history")
     * @param then  what to do once the server accepts connections again ("run the verification again: it only reads")
     */
    public ConnectionLostException lostConnection(Throwable e, String doing, String then) {
        if (e instanceof ConnectionLostException already) {
            return already;
        }
        SQLException sql = connectionLoss(e);
        if (sql == null) {
            return null;
        }
        return new ConnectionLostException(lostConnectionSentence(sql.getSQLState(), sql.getMessage(), doing) + " Check that the "
                + "server is up and accepts connections (" + pgIsReady() + "), then " + then, sql);
    }

    /**
     * How every lost-connection message starts (here and in a migration's CONNECTION_LOST failure): the database, what
     * the runbook was doing, the SQLSTATE and the driver's words (password masked), and why the server went away.
     */
    public String lostConnectionSentence(String sqlState, String driverMessage, String doing) {
        return "Lost the connection to the database " + displayName() + " while " + doing + " (SQLSTATE " + sqlState + ": "
                + oneLine(redact(driverMessage)) + "): " + whyLost(sqlState);
    }

    /** {@link #lostConnection} when {@code e} is a lost connection, else what {@code otherwise} makes (the operation's own error). */
    public RuntimeException lostConnectionOr(Throwable e, String doing, String then, Supplier<? extends RuntimeException> otherwise) {
        RuntimeException lost = lostConnection(e, doing, then);
        return lost != null ? lost : otherwise.get();
    }

    private String pgIsReady() {
        return "pg_isready -h " + host() + " -p " + port();
    }

    private static String oneLine(String text) {
        // pgjdbc appends the statement position on a line of its own: noise once the session is gone
        String line = text == null ? "" : text.replaceAll("\\s+Position: \\d+\\s*$", "").replaceAll("\\s+", " ").strip();
        if (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }

    /**
     * The environment for a libpq child process. The password goes into a temporary 0600 passfile
     * named by {@code PGPASSFILE}, never into the arguments: delete it with {@link LibpqEnvironment#close()}.
     */
    public LibpqEnvironment libpqEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        Address a = address();
        env.put("PGHOST", a.host());
        env.put("PGPORT", Integer.toString(a.port()));
        env.put("PGDATABASE", a.database());
        env.put("PGUSER", user);
        env.put("PGAPPNAME", "migration-runbook");
        env.put("PGCONNECT_TIMEOUT", "10");
        Path passfile = null;
        if (password != null) {
            try {
                passfile = Files.createTempFile("runbook-pgpass", "",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(passfile, "*:*:*:*:" + escapePassfileField(password.reveal()) + "\n");
            } catch (IOException e) {
                throw RunbookException.environment("Cannot write a temporary password file for the PostgreSQL tools: "
                        + e.getMessage() + ". Check that the temporary directory is writable.", e);
            }
            env.put("PGPASSFILE", passfile.toString());
        }
        return new LibpqEnvironment(env, passfile);
    }

    /** Environment variables for a libpq tool, and the passfile to remove when it is done. */
    public record LibpqEnvironment(Map<String, String> variables, Path passfile) implements AutoCloseable {
        public void applyTo(ProcessBuilder builder) {
            Map<String, String> env = builder.environment();
            env.remove("PGPASSWORD");
            env.putAll(variables);
        }

        @Override
        public void close() {
            if (passfile != null) {
                try {
                    Files.deleteIfExists(passfile);
                } catch (IOException ignored) {
                    // best effort: the file is 0600 in the temp directory
                }
            }
        }
    }

    static String escapePassfileField(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:");
    }

    static Address parse(String jdbcUrl) {
        String rest = jdbcUrl.substring(PREFIX.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw RunbookException.configuration("The database URL names no database: expected jdbc:postgresql://HOST:PORT/DATABASE, got '"
                    + stripCredentials(jdbcUrl) + "'.");
        }
        String hostPort = rest.substring(0, slash);
        String database = rest.substring(slash + 1);
        if (hostPort.contains(",")) {
            throw RunbookException.configuration("Multi-host database URLs are not supported; name the primary only.");
        }
        URI uri = URI.create("pg://" + (hostPort.isEmpty() ? "localhost" : hostPort));
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return new Address(host, port, database);
    }

    private static String stripCredentials(String url) {
        return url.replaceAll("password=[^&]*", "password=" + Secret.MASK);
    }

    @Override
    public String toString() {
        return "DatabaseTarget[" + user + "@" + jdbcUrl + "]";
    }
}
