package io.migrationrunbook.flywaycompat;

import org.flywaydb.core.Flyway;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the point of this module: the engine's tests that run beside it must run on the Flyway and the PostgreSQL
 * driver that the Jenkins library plugins bundle (the versions the POM sets), and on those alone, not on the root's
 * versions that the engine was compiled against. Without this, a dependency change could bring the root's versions
 * back and every test here would pass without proving anything.
 */
class LibraryPluginVersionsOnClassPathTest {

    private static final String FLYWAY = System.getProperty("flyway.compat.version");
    private static final String PGJDBC = System.getProperty("pgjdbc.compat.version");

    @Test
    void flywayCoreIsTheLibraryPluginsVersionAndTheOnlyOne() throws IOException {
        assertThat(FLYWAY).as("system property flyway.compat.version (set by the POM)").isNotBlank();
        assertThat(mavenVersion(Flyway.class, "flyway-core")).isEqualTo(FLYWAY);
        assertThat(copies("org/flywaydb/core/Flyway.class")).hasSize(1);
    }

    @Test
    void flywaysPostgresqlSupportIsTheSameVersionAndTheOnlyOne() throws IOException {
        assertThat(mavenVersion(PostgreSQLConfigurationExtension.class, "flyway-database-postgresql")).isEqualTo(FLYWAY);
        assertThat(copies("org/flywaydb/database/postgresql/PostgreSQLConfigurationExtension.class")).hasSize(1);
    }

    @Test
    void thePostgresqlDriverIsTheLibraryPluginsVersionAndTheOnlyOne() throws Exception {
        assertThat(PGJDBC).as("system property pgjdbc.compat.version (set by the POM)").isNotBlank();
        // read reflectively: a compile-time constant would be inlined from the compile class path
        Object version = Class.forName("org.postgresql.util.DriverInfo").getField("DRIVER_VERSION").get(null);
        assertThat(version).isEqualTo(PGJDBC);
        assertThat(copies("org/postgresql/Driver.class")).hasSize(1);
    }

    /** The version in the pom.properties of the jar that {@code type} was loaded from. */
    private static String mavenVersion(Class<?> type, String artifactId) throws IOException {
        URL jar = type.getProtectionDomain().getCodeSource().getLocation();
        String resource = "META-INF/maven/org.flywaydb/" + artifactId + "/pom.properties";
        try (InputStream in = new URL("jar:" + jar + "!/" + resource).openStream()) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }

    private static List<URL> copies(String resource) throws IOException {
        return Collections.list(LibraryPluginVersionsOnClassPathTest.class.getClassLoader().getResources(resource));
    }
}
