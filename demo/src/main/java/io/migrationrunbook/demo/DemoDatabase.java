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

    /** Version 1 of the schema: what the service needs to run. Documented in docs/demo-service.md. */
    static final String[] BASELINE = {
        """
        CREATE TABLE IF NOT EXISTS transactions (
            transaction_id  text PRIMARY KEY,
            event_id        text NOT NULL,
            portfolio_id    text NOT NULL,
            security_id     text NOT NULL,
            quantity        numeric(24, 6) NOT NULL,
            price           numeric(24, 6) NOT NULL,
            correlation_id  text,
            ingested_at     timestamptz,
            persisted_at    timestamptz NOT NULL DEFAULT now()
        )""",
        """
        CREATE TABLE IF NOT EXISTS positions (
            portfolio_id       text NOT NULL,
            security_id        text NOT NULL,
            quantity           numeric(24, 6) NOT NULL,
            cost               numeric(30, 6) NOT NULL,
            transaction_count  bigint NOT NULL,
            updated_at         timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (portfolio_id, security_id)
        )""",
        """
        CREATE TABLE IF NOT EXISTS processed_events (
            event_id         text PRIMARY KEY,
            correlation_id   text,
            kafka_topic      text,
            kafka_partition  integer,
            kafka_offset     bigint,
            processed_at     timestamptz NOT NULL DEFAULT now()
        )""",
    };

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
                for (String ddl : BASELINE) {
                    s.execute(ddl);
                }
            }
            c.commit();
        }
    }
}
