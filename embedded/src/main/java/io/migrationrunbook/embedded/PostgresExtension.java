package io.migrationrunbook.embedded;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: a real PostgreSQL for the whole test JVM (embedded, or the one in {@code RUNBOOK_TEST_PG_URL}), and a
 * fresh database for each test method that asks for a {@link TestDatabase} parameter. Tests that need the server
 * itself (to create more databases) can ask for a {@link PostgresServer}.
 */
public final class PostgresExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    private static volatile PostgresServer shared;

    /** The JVM-wide server, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer server() {
        if (shared == null) {
            PostgresServer server = PostgresServer.fromEnvironmentOrEmbedded();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "runbook-test-postgres-stop"));
            shared = server;
        }
        return shared;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == TestDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (parameterContext.getParameter().getType() == PostgresServer.class) {
            return server();
        }
        PostgresServer server = server();
        // short enough that names derived from it (e.g. <db>_restored_<timestamp>) stay under PostgreSQL's 63 characters
        String name = server.createDatabase(extensionContext.getRequiredTestMethod().getName().replaceAll("(.{0,20}).*", "$1"));
        TestDatabase db = new TestDatabase(server, name);
        extensionContext.getStore(NAMESPACE).put("db:" + name, db);
        return db;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // Databases are dropped lazily by the server's end; keeping them helps debugging a failed test.
    }
}
