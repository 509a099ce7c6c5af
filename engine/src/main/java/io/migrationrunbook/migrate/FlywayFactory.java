package io.migrationrunbook.migrate;

import io.migrationrunbook.db.DatabaseTarget;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns {@link MigrationSettings} into a Flyway configuration, so migrate, the dry run, precheck
 * and rehearsal all run Flyway the same, production-safe way:
 * <ul>
 *   <li>forward-only: clean disabled, out-of-order off, no baseline on migrate;</li>
 *   <li>validate on migrate and validate migration naming (a misnamed file is an error, not silently skipped);</li>
 *   <li>missing locations fail instead of applying nothing;</li>
 *   <li>one transaction per migration ({@code group=false}), so a lock-timeout retry repeats one migration only, and no
 *   file may mix transactional and non-transactional statements ({@code mixed=false});</li>
 *   <li>PostgreSQL transactional advisory lock off: with it on, {@code CREATE INDEX CONCURRENTLY} waits forever for
 *   Flyway's own lock-holding transaction (flyway issues 3497, 3961);</li>
 *   <li>every session under {@code lock_timeout} and {@code statement_timeout} ({@link SessionTimeouts});</li>
 *   <li>placeholder replacement on with Flyway's prefix and suffix and the configured {@link Placeholders} (Flyway's
 *   built-in {@code ${flyway:...}} ones stay available).</li>
 * </ul>
 * Settings and locations are checked first: bad input fails here, before any connection.
 */
public final class FlywayFactory {

    private FlywayFactory() {
    }

    public static FluentConfiguration configure(DatabaseTarget target, MigrationSettings settings, Callback... callbacks) {
        settings.check();
        List<String> locations = MigrationLocations.resolve(settings);
        List<Callback> all = new ArrayList<>();
        all.add(new SessionTimeouts(settings.lockTimeout(), settings.statementTimeout()));
        all.addAll(List.of(callbacks));
        FluentConfiguration cfg = Flyway.configure(FlywayFactory.class.getClassLoader())
                .dataSource(new TargetDataSource(target, SessionTimeouts.sql(settings.lockTimeout(), settings.statementTimeout())))
                .connectRetries(0)
                .locations(locations.toArray(String[]::new))
                .failOnMissingLocations(true)
                .table(settings.table())
                .cleanDisabled(true)
                .outOfOrder(false)
                .baselineOnMigrate(false)
                .validateOnMigrate(true)
                .validateMigrationNaming(true)
                .group(false)
                .mixed(false)
                .executeInTransaction(true)
                .placeholderReplacement(true)
                .placeholderPrefix(Placeholders.PREFIX)
                .placeholderSuffix(Placeholders.SUFFIX)
                .placeholders(settings.placeholders())
                .callbacks(all.toArray(Callback[]::new));
        if (!settings.schemas().isEmpty()) {
            cfg.schemas(settings.schemas().toArray(String[]::new));
        }
        if (settings.target() != null) {
            cfg.target(settings.target());
        }
        cfg.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return cfg;
    }

    public static Flyway create(DatabaseTarget target, MigrationSettings settings, Callback... callbacks) {
        return configure(target, settings, callbacks).load();
    }
}
