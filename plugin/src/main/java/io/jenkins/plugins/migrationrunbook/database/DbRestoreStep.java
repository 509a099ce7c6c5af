package io.jenkins.plugins.migrationrunbook.database;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.backup.Restore;
import io.migrationrunbook.backup.RestoreResult;
import io.migrationrunbook.backup.RestoreSettings;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code dbRestore(database: 'prod', backup: backup.file)}: restores a backup made by dbBackup (checksum verified,
 * row counts compared with the backup's sidecar). By default into a new database ({@code targetDatabase}); replacing
 * the live database needs {@code replace: true} and, with sessions connected, {@code terminateConnections: true}.
 */
public class DbRestoreStep extends RunbookStep {

    private String database = "";
    private String backup = "";
    private String targetDatabase = "";
    private boolean replace;
    private boolean terminateConnections;
    private int jobs = 1;

    @DataBoundConstructor
    public DbRestoreStep() {
    }

    public String getDatabase() {
        return database;
    }

    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = database == null ? "" : database.trim();
    }

    public String getBackup() {
        return backup;
    }

    /** The archive (file or directory) on the agent, as returned by dbBackup in {@code file}. */
    @DataBoundSetter
    public void setBackup(String backup) {
        this.backup = backup == null ? "" : backup.trim();
    }

    public String getTargetDatabase() {
        return targetDatabase;
    }

    @DataBoundSetter
    public void setTargetDatabase(String targetDatabase) {
        this.targetDatabase = targetDatabase == null ? "" : targetDatabase.trim();
    }

    public boolean isReplace() {
        return replace;
    }

    @DataBoundSetter
    public void setReplace(boolean replace) {
        this.replace = replace;
    }

    public boolean isTerminateConnections() {
        return terminateConnections;
    }

    @DataBoundSetter
    public void setTerminateConnections(boolean terminateConnections) {
        this.terminateConnections = terminateConnections;
    }

    public int getJobs() {
        return jobs;
    }

    @DataBoundSetter
    public void setJobs(int jobs) {
        this.jobs = jobs;
    }

    @Override
    protected String functionName() {
        return "dbRestore";
    }

    @Override
    protected RestoreTask task(Targets targets) {
        if (backup.isEmpty()) {
            throw RunbookException.configuration("No backup given: pass backup: the file returned by dbBackup (result.file).");
        }
        if (jobs < 1) {
            throw RunbookException.configuration("jobs must be at least 1, got " + jobs + ".");
        }
        DatabaseTarget target = DatabaseTargets.connect(targets, DatabaseTargets.configured(targets, database));
        return new RestoreTask(target, backup, targetDatabase, replace, terminateConnections, jobs);
    }

    /** The restore, as sent to the agent. */
    public static final class RestoreTask extends AgentTask<RestoreResult> {
        private static final long serialVersionUID = 1L;
        final DatabaseTarget target;
        final String backup;
        final String targetDatabase;
        final boolean replace;
        final boolean terminateConnections;
        final int jobs;

        RestoreTask(DatabaseTarget target, String backup, String targetDatabase, boolean replace, boolean terminateConnections,
                int jobs) {
            this.target = target;
            this.backup = backup;
            this.targetDatabase = targetDatabase;
            this.replace = replace;
            this.terminateConnections = terminateConnections;
            this.jobs = jobs;
        }

        public RestoreSettings settings(File workspace) {
            return new RestoreSettings()
                    .from(Workspace.resolve(workspace, backup))
                    .targetDatabase(targetDatabase.isEmpty() ? null : targetDatabase)
                    .replace(replace)
                    .terminateConnections(terminateConnections)
                    .jobs(jobs);
        }

        @Override
        public RestoreResult run(File workspace, Progress progress, SecretFiles secrets) {
            return Restore.run(target, settings(workspace), progress);
        }

        @Override
        public List<Secret> secrets() {
            return Arrays.asList(target.password());
        }

        @Override
        public String describe() {
            return "Restoring " + backup + " into " + (targetDatabase.isEmpty() ? target.database() : targetDatabase) + " on "
                    + target.host() + ":" + target.port() + (replace ? " (replacing it)" : "");
        }
    }

    @Extension
    @Symbol("dbRestore")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "dbRestore";
        }

        @Override
        public String getDisplayName() {
            return "Restore a database from a dbBackup archive";
        }
    }
}
