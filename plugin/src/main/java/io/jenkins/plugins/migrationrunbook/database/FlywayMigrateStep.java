package io.jenkins.plugins.migrationrunbook.database;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.config.Database;
import io.jenkins.plugins.migrationrunbook.config.Validation;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.Durations;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.migrate.Placeholders;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code def m = flywayMigrate(database: 'prod')}: applies the pending Flyway migrations forward-only, every statement
 * under lock_timeout and statement_timeout, retrying lock timeouts with backoff. {@code dryRun: true} returns the plan
 * (pending migrations, validation) and changes nothing. Relative {@code filesystem:} locations are in the workspace.
 */
public class FlywayMigrateStep extends RunbookStep {

    private String database = "";
    private String locations = "filesystem:db/migration";
    private String target = "";
    private boolean dryRun;
    private String lockTimeout = "";
    private String statementTimeout = "";
    private int lockRetries = MigrationSettings.DEFAULT_LOCK_RETRIES;
    private Map<String, String> placeholders = new LinkedHashMap<>();

    @DataBoundConstructor
    public FlywayMigrateStep() {
    }

    public String getDatabase() {
        return database;
    }

    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = database == null ? "" : database.trim();
    }

    public String getLocations() {
        return locations;
    }

    /** Flyway locations, comma-separated: {@code filesystem:DIR} (relative to the workspace) or {@code classpath:PKG}. */
    @DataBoundSetter
    public void setLocations(String locations) {
        this.locations = locations == null || locations.isBlank() ? "filesystem:db/migration" : locations.trim();
    }

    public String getTarget() {
        return target;
    }

    /** Stop at this version; empty for the latest. */
    @DataBoundSetter
    public void setTarget(String target) {
        this.target = target == null ? "" : target.trim();
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public String getLockTimeout() {
        return lockTimeout;
    }

    /** Overrides the database's configured lock timeout (default 2s). */
    @DataBoundSetter
    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = lockTimeout == null ? "" : lockTimeout.trim();
    }

    public String getStatementTimeout() {
        return statementTimeout;
    }

    /** Overrides the database's configured statement timeout (default 15m). */
    @DataBoundSetter
    public void setStatementTimeout(String statementTimeout) {
        this.statementTimeout = statementTimeout == null ? "" : statementTimeout.trim();
    }

    public int getLockRetries() {
        return lockRetries;
    }

    @DataBoundSetter
    public void setLockRetries(int lockRetries) {
        this.lockRetries = lockRetries;
    }

    public Map<String, String> getPlaceholders() {
        return new LinkedHashMap<>(placeholders);
    }

    /**
     * Flyway placeholder values: {@code placeholders: [schema: 'app', app_role: 'app_reader']} replaces {@code ${schema}}
     * in the migrations (Flyway's {@code placeholders}). Values are turned into strings ({@code [limit: 10]} is "10").
     * A pending migration using a placeholder without a value fails the step before anything runs.
     */
    @DataBoundSetter
    public void setPlaceholders(Map<String, ?> placeholders) {
        this.placeholders = Placeholders.fromStep(placeholders);
    }

    @Override
    protected String functionName() {
        return "flywayMigrate";
    }

    @Override
    protected MigrateTask task(Targets targets) {
        Database db = DatabaseTargets.configured(targets, database);
        String lock = lockTimeout.isEmpty() ? db.getLockTimeout() : lockTimeout;
        String statement = statementTimeout.isEmpty() ? db.getStatementTimeout() : statementTimeout;
        MigrateTask task = new MigrateTask(null, Validation.splitList(locations), target, dryRun, lock, statement, lockRetries,
                db.getSchemaList(), placeholders);
        task.settings(new File(".")).check(); // every parameter checked on the controller, before credentials are used
        return task.with(DatabaseTargets.connect(targets, db));
    }

    /** The migration, as sent to the agent. */
    public static final class MigrateTask extends AgentTask<Object> {
        private static final long serialVersionUID = 1L;
        final DatabaseTarget target;
        final List<String> locations;
        final String version;
        final boolean dryRun;
        final String lockTimeout;
        final String statementTimeout;
        final int lockRetries;
        final List<String> schemas;
        final LinkedHashMap<String, String> placeholders;

        MigrateTask(DatabaseTarget target, List<String> locations, String version, boolean dryRun, String lockTimeout,
                String statementTimeout, int lockRetries, List<String> schemas, Map<String, String> placeholders) {
            this.target = target;
            this.locations = new ArrayList<>(locations);
            this.version = version;
            this.dryRun = dryRun;
            this.lockTimeout = lockTimeout;
            this.statementTimeout = statementTimeout;
            this.lockRetries = lockRetries;
            this.schemas = new ArrayList<>(schemas);
            this.placeholders = new LinkedHashMap<>(placeholders);
        }

        MigrateTask with(DatabaseTarget target) {
            return new MigrateTask(target, locations, version, dryRun, lockTimeout, statementTimeout, lockRetries, schemas, placeholders);
        }

        /** The engine settings; relative filesystem locations resolved in the workspace (Flyway would use the agent's cwd). */
        public MigrationSettings settings(File workspace) {
            List<String> resolved = new ArrayList<>();
            for (String location : locations) {
                resolved.add(inWorkspace(workspace, location));
            }
            MigrationSettings s = MigrationSettings.create().locations(resolved).target(version).schemas(schemas)
                    .lockRetries(lockRetries).placeholders(placeholders);
            if (lockTimeout != null && !lockTimeout.isEmpty()) {
                s.lockTimeout(Durations.parse(lockTimeout));
            }
            if (statementTimeout != null && !statementTimeout.isEmpty()) {
                s.statementTimeout(Durations.parse(statementTimeout));
            }
            return s;
        }

        /** Relative {@code filesystem:} locations are in the workspace; {@code classpath:} and bare ones are as in Flyway. */
        static String inWorkspace(File workspace, String location) {
            if (!location.startsWith("filesystem:")) {
                return location;
            }
            return "filesystem:" + Workspace.resolve(workspace, location.substring("filesystem:".length()));
        }

        @Override
        public Object run(File workspace, Progress progress, SecretFiles secrets) {
            Migrator migrator = new Migrator(target, settings(workspace).check());
            return dryRun ? migrator.plan() : migrator.migrate(progress);
        }

        @Override
        public String failureOf(Map<String, Object> result) {
            if (dryRun) {
                Object validation = result.get("validation");
                if (validation instanceof Map<?, ?> v && Boolean.FALSE.equals(v.get("valid"))) {
                    return "validation failed: " + v;
                }
                return null;
            }
            if (!"FAILED".equalsIgnoreCase(String.valueOf(result.get("status")))) {
                return null;
            }
            Object failure = result.get("failure");
            if (failure instanceof Map<?, ?> f) {
                return "migration " + f.get("version") + " (" + f.get("file") + ") failed: " + f.get("message")
                        + (f.get("fix") == null ? "" : ". " + f.get("fix"));
            }
            return "the migration failed (see the step's result)";
        }

        @Override
        public List<Secret> secrets() {
            return Arrays.asList(target == null ? null : target.password());
        }

        @Override
        public String describe() {
            return (dryRun ? "Planning" : "Migrating") + " " + target.database() + " on " + target.host() + ":" + target.port()
                    + " from " + locations + (version == null || version.isEmpty() ? "" : " up to " + version);
        }
    }

    @Extension
    @Symbol("flywayMigrate")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "flywayMigrate";
        }

        @Override
        public String getDisplayName() {
            return "Apply Flyway migrations forward-only, under lock and statement timeouts";
        }
    }
}
