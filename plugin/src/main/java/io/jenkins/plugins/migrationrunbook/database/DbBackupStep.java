package io.jenkins.plugins.migrationrunbook.database;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.config.Database;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.backup.Backup;
import io.migrationrunbook.backup.BackupFormat;
import io.migrationrunbook.backup.BackupResult;
import io.migrationrunbook.backup.BackupSettings;
import io.migrationrunbook.core.Durations;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code def backup = dbBackup(database: 'prod')}: a verified pg_dump archive (SHA-256, sidecar metadata) written on
 * the agent. Returns the engine's result: {@code file}, {@code sha256}, {@code sizeBytes}, {@code durationMs},
 * {@code verified}, ...
 */
public class DbBackupStep extends RunbookStep {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private String database = "";
    private String out = "";
    private String format = "custom";
    private int jobs = 1;
    private int keep;
    private String lockWaitTimeout = "";

    @DataBoundConstructor
    public DbBackupStep() {
    }

    public String getDatabase() {
        return database;
    }

    /** Id of a configured database. */
    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = database == null ? "" : database.trim();
    }

    public String getOut() {
        return out;
    }

    /** Archive path on the agent; default: the database's backup directory, {@code DB-yyyyMMdd-HHmmss.dump}. */
    @DataBoundSetter
    public void setOut(String out) {
        this.out = out == null ? "" : out.trim();
    }

    public String getFormat() {
        return format;
    }

    /** {@code custom} (one file, the default) or {@code directory} (needed for jobs &gt; 1). */
    @DataBoundSetter
    public void setFormat(String format) {
        this.format = format == null || format.isBlank() ? "custom" : format.trim().toLowerCase(Locale.ROOT);
    }

    public int getJobs() {
        return jobs;
    }

    @DataBoundSetter
    public void setJobs(int jobs) {
        this.jobs = jobs;
    }

    public int getKeep() {
        return keep;
    }

    /** Keep only the newest N backups of this database in the directory; 0 (default) deletes nothing. */
    @DataBoundSetter
    public void setKeep(int keep) {
        this.keep = keep;
    }

    public String getLockWaitTimeout() {
        return lockWaitTimeout;
    }

    /** pg_dump's --lock-wait-timeout (e.g. 30s); empty waits. */
    @DataBoundSetter
    public void setLockWaitTimeout(String lockWaitTimeout) {
        this.lockWaitTimeout = lockWaitTimeout == null ? "" : lockWaitTimeout.trim();
    }

    @Override
    protected String functionName() {
        return "dbBackup";
    }

    @Override
    protected BackupTask task(Targets targets) {
        return task(targets, Instant.now());
    }

    BackupTask task(Targets targets, Instant now) {
        Database db = DatabaseTargets.configured(targets, database);
        BackupFormat fmt = BackupFormat.parse(format, "format");
        if (keep < 0) {
            throw RunbookException.configuration("keep must be 0 (delete nothing) or more, got " + keep + ".");
        }
        if (!lockWaitTimeout.isEmpty()) {
            Durations.parse(lockWaitTimeout); // fail on the controller, before anything runs
        }
        DatabaseTarget target = DatabaseTargets.connect(targets, db);
        String path = out;
        if (path.isEmpty()) {
            String dir = db.getBackupDirectory().isEmpty() ? "backups" : db.getBackupDirectory();
            path = dir + "/" + target.database() + "-" + STAMP.format(now) + (fmt == BackupFormat.CUSTOM ? ".dump" : "");
        }
        return new BackupTask(target, path, fmt, jobs, keep == 0 ? null : keep, lockWaitTimeout);
    }

    /** The backup, as sent to the agent. */
    public static final class BackupTask extends AgentTask<BackupResult> {
        private static final long serialVersionUID = 1L;
        final DatabaseTarget target;
        final String out;
        final BackupFormat format;
        final int jobs;
        final Integer keep;
        final String lockWaitTimeout;

        BackupTask(DatabaseTarget target, String out, BackupFormat format, int jobs, Integer keep, String lockWaitTimeout) {
            this.target = target;
            this.out = out;
            this.format = format;
            this.jobs = jobs;
            this.keep = keep;
            this.lockWaitTimeout = lockWaitTimeout;
        }

        public DatabaseTarget target() {
            return target;
        }

        /** The engine settings, with paths resolved against the workspace on the agent. */
        public BackupSettings settings(File workspace) {
            return new BackupSettings()
                    .out(Workspace.resolve(workspace, out))
                    .format(format)
                    .jobs(jobs)
                    .keep(keep)
                    .lockWaitTimeout(lockWaitTimeout.isEmpty() ? null : Durations.parse(lockWaitTimeout));
        }

        @Override
        public BackupResult run(File workspace, Progress progress, SecretFiles secrets) throws Exception {
            BackupSettings settings = settings(workspace);
            java.nio.file.Files.createDirectories(settings.out().toAbsolutePath().getParent());
            return Backup.run(target, settings, progress);
        }

        @Override
        public List<Secret> secrets() {
            return Arrays.asList(target.password());
        }

        @Override
        public String describe() {
            return "Backing up " + target.database() + " on " + target.host() + ":" + target.port() + " to " + out + " ("
                    + format.name().toLowerCase(Locale.ROOT) + ", " + jobs + " job(s))";
        }
    }

    @Extension
    @Symbol("dbBackup")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "dbBackup";
        }

        @Override
        public String getDisplayName() {
            return "Back up a configured database (verified pg_dump)";
        }
    }
}
