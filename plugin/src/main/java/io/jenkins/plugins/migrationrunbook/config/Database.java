package io.jenkins.plugins.migrationrunbook.config;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.db.ServerInfo;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A PostgreSQL database the runbook may act on, referred to by id from pipelines ({@code database: 'prod'}). */
public class Database extends ConfigItem<Database> {

    private final String id;
    private final String jdbcUrl;
    private String credentialsId = "";
    private String schemas = "";
    private String backupDirectory = "";
    private String lockTimeout = "";
    private String statementTimeout = "";

    @DataBoundConstructor
    public Database(String id, String jdbcUrl) {
        this.id = trimToEmpty(id);
        this.jdbcUrl = trimToEmpty(jdbcUrl);
    }

    @Override
    public String getId() {
        return id;
    }

    public String getJdbcUrl() {
        return jdbcUrl;
    }

    /** A username/password credential: the database login. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = trimToEmpty(credentialsId);
    }

    /** Comma-separated schemas to snapshot and verify; empty means the user's search path ({@code public}). */
    public String getSchemas() {
        return schemas;
    }

    @DataBoundSetter
    public void setSchemas(String schemas) {
        this.schemas = trimToEmpty(schemas);
    }

    public List<String> getSchemaList() {
        return Validation.splitList(schemas);
    }

    /** Where dbBackup writes on the agent (absolute, or relative to the workspace); empty means {@code backups}. */
    public String getBackupDirectory() {
        return backupDirectory;
    }

    @DataBoundSetter
    public void setBackupDirectory(String backupDirectory) {
        this.backupDirectory = trimToEmpty(backupDirectory);
    }

    /** lock_timeout for migrations (500ms, 5s, ...); empty means the engine's default. */
    public String getLockTimeout() {
        return lockTimeout;
    }

    @DataBoundSetter
    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = trimToEmpty(lockTimeout);
    }

    /** statement_timeout for migrations (15min, ...); empty means the engine's default. */
    public String getStatementTimeout() {
        return statementTimeout;
    }

    @DataBoundSetter
    public void setStatementTimeout(String statementTimeout) {
        this.statementTimeout = trimToEmpty(statementTimeout);
    }

    @Extension
    @Symbol("database")
    public static final class DescriptorImpl extends Descriptor<Database> {
        @Override
        public String getDisplayName() {
            return "PostgreSQL database";
        }

        public FormValidation doCheckId(@QueryParameter String value) {
            return Forms.check(Validation.id(value));
        }

        public FormValidation doCheckJdbcUrl(@QueryParameter String value) {
            return Forms.check(Validation.jdbcUrl(value));
        }

        public FormValidation doCheckLockTimeout(@QueryParameter String value) {
            return Forms.check(Validation.duration(value));
        }

        public FormValidation doCheckStatementTimeout(@QueryParameter String value) {
            return Forms.check(Validation.duration(value));
        }

        /** The drop-down of username/password credentials (administrators only). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return CredentialsItems.usernamePassword(credentialsId);
        }

        /** "Test connection": logs in with the chosen credentials and shows the server facts. Administrators only. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String jdbcUrl, @QueryParameter String credentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            String problem = Validation.jdbcUrl(jdbcUrl);
            if (problem != null) {
                return FormValidation.error(problem);
            }
            try {
                GlobalCredentials.Login login = GlobalCredentials.login(credentialsId);
                ServerInfo info = ServerInfo.read(new DatabaseTarget(jdbcUrl.trim(), login.user(), login.password()));
                return FormValidation.ok("Connected: PostgreSQL " + info.serverVersion() + ", database " + info.database()
                        + ", user " + info.user() + (info.superuser() ? " (superuser)" : ""));
            } catch (RunbookException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
