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
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Placeholders;
import io.migrationrunbook.precheck.Precheck;
import io.migrationrunbook.precheck.PrecheckResult;
import io.migrationrunbook.precheck.PrecheckSettings;
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
 * {@code def pre = migrationPrecheck(database: 'prod')}: the guide's pre-checks, read-only — migrations present and
 * well named, versions unique, descriptions descriptive, nothing out of order, Flyway validation, the pending list
 * classified with the release policy's verdict (including whether consumers must be paused), long transactions that
 * DDL would queue behind, space for the backup, ownership. Fails when a check fails; {@code pre.plan} drives the gates.
 */
public class MigrationPrecheckStep extends RunbookStep {

    private String database = "";
    private String locations = "filesystem:db/migration";
    private String target = "";
    private String longTransaction = "1m";
    private boolean approveBreaking;
    private Map<String, String> placeholders = new LinkedHashMap<>();

    @DataBoundConstructor
    public MigrationPrecheckStep() {
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

    @DataBoundSetter
    public void setLocations(String locations) {
        this.locations = locations == null || locations.isBlank() ? "filesystem:db/migration" : locations.trim();
    }

    public String getTarget() {
        return target;
    }

    @DataBoundSetter
    public void setTarget(String target) {
        this.target = target == null ? "" : target.trim();
    }

    public String getLongTransaction() {
        return longTransaction;
    }

    /** Transactions (and idle-in-transaction sessions) older than this are reported: DDL would queue behind them. */
    @DataBoundSetter
    public void setLongTransaction(String longTransaction) {
        this.longTransaction = longTransaction == null || longTransaction.isBlank() ? "1m" : longTransaction.trim();
    }

    public boolean isApproveBreaking() {
        return approveBreaking;
    }

    /** Breaking changes were approved (for example by an input gate before this step). */
    @DataBoundSetter
    public void setApproveBreaking(boolean approveBreaking) {
        this.approveBreaking = approveBreaking;
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
        return "migrationPrecheck";
    }

    @Override
    protected PrecheckTask task(Targets targets) {
        Database db = DatabaseTargets.configured(targets, database);
        Durations.parse(longTransaction);
        PrecheckTask task = new PrecheckTask(null, Validation.splitList(locations), target, db.getSchemaList(), longTransaction,
                db.getBackupDirectory().isEmpty() ? "backups" : db.getBackupDirectory(), approveBreaking, placeholders);
        task.settings(new File(".")).check(); // every parameter checked on the controller, before credentials are used
        return task.with(DatabaseTargets.connect(targets, db));
    }

    /** The pre-checks, as sent to the agent. */
    public static final class PrecheckTask extends AgentTask<PrecheckResult> {
        private static final long serialVersionUID = 1L;
        final DatabaseTarget target;
        final List<String> locations;
        final String version;
        final List<String> schemas;
        final String longTransaction;
        final String backupDirectory;
        final boolean approveBreaking;
        final LinkedHashMap<String, String> placeholders;

        PrecheckTask(DatabaseTarget target, List<String> locations, String version, List<String> schemas, String longTransaction,
                String backupDirectory, boolean approveBreaking, Map<String, String> placeholders) {
            this.target = target;
            this.locations = new ArrayList<>(locations);
            this.version = version;
            this.schemas = new ArrayList<>(schemas);
            this.longTransaction = longTransaction;
            this.backupDirectory = backupDirectory;
            this.approveBreaking = approveBreaking;
            this.placeholders = new LinkedHashMap<>(placeholders);
        }

        PrecheckTask with(DatabaseTarget target) {
            return new PrecheckTask(target, locations, version, schemas, longTransaction, backupDirectory, approveBreaking, placeholders);
        }

        public PrecheckSettings settings(File workspace) {
            List<String> resolved = new ArrayList<>();
            for (String location : locations) {
                resolved.add(FlywayMigrateStep.MigrateTask.inWorkspace(workspace, location));
            }
            return PrecheckSettings.create()
                    .migrations(MigrationSettings.create().locations(resolved).target(version).schemas(schemas).placeholders(placeholders))
                    .longTransactionThreshold(Durations.parse(longTransaction))
                    .backupDirectory(Workspace.resolve(workspace, backupDirectory))
                    .approveBreaking(approveBreaking);
        }

        @Override
        public PrecheckResult run(File workspace, Progress progress, SecretFiles secrets) {
            return Precheck.of(target, settings(workspace).check()).run(progress);
        }

        /** The failed checks, each with its summary. */
        @Override
        public String failureOf(Map<String, Object> result) {
            if (!"FAIL".equalsIgnoreCase(String.valueOf(result.get("status")))) {
                return null;
            }
            List<String> failed = new ArrayList<>();
            if (result.get("checks") instanceof List<?> checks) {
                for (Object o : checks) {
                    if (o instanceof Map<?, ?> c && "FAIL".equalsIgnoreCase(String.valueOf(c.get("status")))) {
                        failed.add(c.get("id") + ": " + c.get("summary") + (c.get("fix") == null ? "" : " (" + c.get("fix") + ")"));
                    }
                }
            }
            return String.join("; ", failed);
        }

        @Override
        public List<Secret> secrets() {
            return Arrays.asList(target == null ? null : target.password());
        }

        @Override
        public String describe() {
            return "Pre-checking " + target.database() + " on " + target.host() + ":" + target.port() + " for " + locations;
        }
    }

    @Extension
    @Symbol("migrationPrecheck")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "migrationPrecheck";
        }

        @Override
        public String getDisplayName() {
            return "Pre-checks before a migration: naming, validation, classified plan, blockers on the target";
        }
    }
}
