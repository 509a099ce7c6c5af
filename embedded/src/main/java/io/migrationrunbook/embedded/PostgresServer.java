package io.migrationrunbook.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 15 server: an embedded one (zonky's binaries; as root they run under {@code unshare -U})
 * or an external one named by a JDBC URL. Hands out fresh databases so tests never share state.
 */
public final class PostgresServer implements AutoCloseable {

    /** JDBC URL of an external server to use instead of the embedded one (any database on it). */
    public static final String EXTERNAL_URL_VARIABLE = "RUNBOOK_TEST_PG_URL";
    public static final String EXTERNAL_USER_VARIABLE = "RUNBOOK_TEST_PG_USER";
    public static final String EXTERNAL_PASSWORD_VARIABLE = "RUNBOOK_TEST_PG_PASSWORD";

    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path dataDirectory;
    private volatile boolean killed;
    /** The data directory was made for this server (a temporary one) and goes with it: close() deletes it. */
    private volatile boolean ownsDataDirectory;

    private PostgresServer(EmbeddedPostgres embedded, String host, int port, String user, String password, Path dataDirectory) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts an embedded server in a new temporary data directory, deleted again by {@link #close()} (every test JVM and
     * every {@code runbook demo} used to leave one behind: hundreds of MB each).
     */
    public static PostgresServer startEmbedded() {
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("runbook-pg");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a data directory for the embedded PostgreSQL", e);
        }
        try {
            PostgresServer server = startEmbedded(dataDirectory, 0);
            server.ownsDataDirectory = true;
            return server;
        } catch (RuntimeException e) {
            TemporaryDirectories.deleteQuietly(dataDirectory);
            throw e;
        }
    }

    /**
     * Starts (or restarts, when the directory already holds a cluster) an embedded server on a data directory.
     * Port 0 picks a free one.
     */
    public static PostgresServer startEmbedded(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("max_prepared_transactions", "0");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            return new PostgresServer(pg, "localhost", pg.getPort(), "postgres", null, dataDirectory);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL (as root it needs user namespaces: "
                    + "`unshare -U true` must work). Set " + EXTERNAL_URL_VARIABLE + " to use an external server instead.", e);
        }
    }

    /** The external server named by {@value #EXTERNAL_URL_VARIABLE}, or an embedded one. */
    public static PostgresServer fromEnvironmentOrEmbedded() {
        String url = System.getenv(EXTERNAL_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return startEmbedded();
        }
        String user = envOr(EXTERNAL_USER_VARIABLE, envOr("PGUSER", "postgres"));
        String password = envOr(EXTERNAL_PASSWORD_VARIABLE, System.getenv("PGPASSWORD"));
        String rest = url.substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
        int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1)) : 5432;
        return new PostgresServer(null, host, port, user, password, null);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** Null for the embedded server (trust authentication). */
    public String password() {
        return password;
    }

    /** The data directory of an embedded server (null for an external one). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Creates a new, empty database with a unique name and returns that name. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASE_COUNTER.incrementAndGet())
                .toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on " + host + ":" + port, e);
        }
        return name;
    }

    public void dropDatabase(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop database " + name, e);
        }
    }

    /**
     * Stops an embedded server the hard way: SIGKILL to the postmaster and every backend (harder than
     * {@code pg_ctl stop -m immediate}: no shutdown checkpoint, clients see their connection drop). The data directory is
     * left as a crash leaves it; {@code startEmbedded(dataDirectory(), port())} restarts on it through crash recovery.
     * This server object is finished afterwards (its zonky handle is released; {@link #close()} does nothing more).
     */
    public void kill() {
        if (embedded == null) {
            throw new IllegalStateException("Only an embedded server can be killed by a test");
        }
        try {
            ProcessHandle postmaster = postmaster().orElseThrow(() -> new IllegalStateException("No running postmaster in " + dataDirectory));
            List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
            all.add(0, postmaster);
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : all) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot kill the embedded PostgreSQL in " + dataDirectory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing the embedded PostgreSQL", e);
        }
        killed = true;
        try {
            embedded.close(); // releases zonky's lock on the data directory; its pg_ctl stop finds no server
        } catch (IOException | RuntimeException expected) {
            // the server is already gone
        }
    }

    @Override
    public void close() {
        if (embedded != null && !killed) {
            java.util.Optional<ProcessHandle> postmaster = ownsDataDirectory ? postmaster() : java.util.Optional.empty();
            try {
                embedded.close();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot stop the embedded PostgreSQL", e);
            }
            if (ownsDataDirectory) {
                // the stop returns before the postmaster has written its last WAL and exited: delete only after that
                postmaster.ifPresent(p -> {
                    try {
                        p.onExit().get(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException ignored) {
                        // delete what can be deleted
                    }
                });
                TemporaryDirectories.deleteQuietly(dataDirectory);
            }
        }
    }

    private java.util.Optional<ProcessHandle> postmaster() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String toString() {
        return (embedded != null ? "embedded " : "external ") + "PostgreSQL at " + host + ":" + port;
    }
}
