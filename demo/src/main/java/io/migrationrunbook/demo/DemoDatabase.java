package io.migrationrunbook.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The demo service's PostgreSQL: connections and the baseline schema. The baseline is created with
 * {@code CREATE TABLE IF NOT EXISTS} (no Flyway here), so the runbook's Flyway migrations can later ALTER these tables;
 * every statement of the service names its columns, so added nullable columns never break it.
 */
public final class DemoDatabase {

    /**
     * Version 1 of the schema: what the service needs to run (docs/demo-service.md). One file, shipped as a resource, so
     * the runbook's demo can apply the very same script as its Flyway baseline migration.
     */
    public static final String BASELINE_RESOURCE = "/io/migrationrunbook/demo/V1__baseline_schema_of_the_ingestion_service.sql";

    public static String baselineSql() {
        try (java.io.InputStream in = DemoDatabase.class.getResourceAsStream(BASELINE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + BASELINE_RESOURCE);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;

    public DemoDatabase(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "runbook-demo-service");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** Creates the baseline tables when absent; an advisory lock keeps two instances starting together apart. */
    public void createBaselineSchema() throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(724001)");
                s.execute(baselineSql());
            }
            c.commit();
        }
    }
}
