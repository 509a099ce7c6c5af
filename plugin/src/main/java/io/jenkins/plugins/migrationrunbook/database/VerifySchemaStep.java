package io.jenkins.plugins.migrationrunbook.database;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.config.Database;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.verify.Expectations;
import io.migrationrunbook.verify.VerificationReport;
import io.migrationrunbook.verify.VerificationSettings;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code verifySchema(database: 'prod', expect: 'db/expectations.yaml', flywayVersion: '7')}: checks the schema
 * against an expectations file and/or an expected snapshot, the Flyway version, and row counts against a baseline
 * snapshot. Fails when a check fails; the result lists every check.
 */
public class VerifySchemaStep extends RunbookStep {

    private String database = "";
    private String expect = "";
    private String snapshot = "";
    private String rowCounts = "";
    private String flywayVersion = "";
    private boolean ignoreExtras;

    @DataBoundConstructor
    public VerifySchemaStep() {
    }

    public String getDatabase() {
        return database;
    }

    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = database == null ? "" : database.trim();
    }

    public String getExpect() {
        return expect;
    }

    /** Expectations file (YAML) in the workspace. */
    @DataBoundSetter
    public void setExpect(String expect) {
        this.expect = expect == null ? "" : expect.trim();
    }

    public String getSnapshot() {
        return snapshot;
    }

    /** Expected snapshot (JSON from runbook snapshot) in the workspace: drift is reported. */
    @DataBoundSetter
    public void setSnapshot(String snapshot) {
        this.snapshot = snapshot == null ? "" : snapshot.trim();
    }

    public String getRowCounts() {
        return rowCounts;
    }

    /** A snapshot taken before the migration: existing tables must keep their row counts. */
    @DataBoundSetter
    public void setRowCounts(String rowCounts) {
        this.rowCounts = rowCounts == null ? "" : rowCounts.trim();
    }

    public String getFlywayVersion() {
        return flywayVersion;
    }

    @DataBoundSetter
    public void setFlywayVersion(String flywayVersion) {
        this.flywayVersion = flywayVersion == null ? "" : flywayVersion.trim();
    }

    public boolean isIgnoreExtras() {
        return ignoreExtras;
    }

    @DataBoundSetter
    public void setIgnoreExtras(boolean ignoreExtras) {
        this.ignoreExtras = ignoreExtras;
    }

    @Override
    protected String functionName() {
        return "verifySchema";
    }

    @Override
    protected VerifyTask task(Targets targets) {
        Database db = DatabaseTargets.configured(targets, database);
        if (expect.isEmpty() && snapshot.isEmpty() && rowCounts.isEmpty() && flywayVersion.isEmpty()) {
            throw RunbookException.configuration("Nothing to verify: pass expect: 'FILE.yaml', snapshot: 'FILE.json', "
                    + "rowCounts: 'BEFORE.json' and/or flywayVersion: 'N'.");
        }
        return new VerifyTask(DatabaseTargets.connect(targets, db), expect, snapshot, rowCounts, flywayVersion, ignoreExtras,
                db.getSchemaList());
    }

    /** The verification, as sent to the agent. */
    public static final class VerifyTask extends AgentTask<VerificationReport> {
        private static final long serialVersionUID = 1L;
        final DatabaseTarget target;
        final String expect;
        final String snapshot;
        final String rowCounts;
        final String flywayVersion;
        final boolean ignoreExtras;
        final List<String> schemas;

        VerifyTask(DatabaseTarget target, String expect, String snapshot, String rowCounts, String flywayVersion,
                boolean ignoreExtras, List<String> schemas) {
            this.target = target;
            this.expect = expect;
            this.snapshot = snapshot;
            this.rowCounts = rowCounts;
            this.flywayVersion = flywayVersion;
            this.ignoreExtras = ignoreExtras;
            this.schemas = new ArrayList<>(schemas);
        }

        /** The engine settings, files read from the workspace on the agent. */
        public VerificationSettings settings(File workspace) {
            VerificationSettings s = VerificationSettings.none().withIgnoreExtras(ignoreExtras);
            if (!expect.isEmpty()) {
                s = s.withExpectations(Expectations.read(Workspace.resolve(workspace, expect)));
            }
            if (!snapshot.isEmpty()) {
                s = s.withExpectedSnapshot(SchemaSnapshot.readFrom(Workspace.resolve(workspace, snapshot)));
            }
            if (!rowCounts.isEmpty()) {
                s = s.withRowCountBaseline(SchemaSnapshot.readFrom(Workspace.resolve(workspace, rowCounts)));
            }
            if (!flywayVersion.isEmpty()) {
                s = s.withFlywayVersion(flywayVersion);
            }
            if (!schemas.isEmpty()) {
                s = s.withSchemas(schemas);
            }
            return s;
        }

        @Override
        public VerificationReport run(File workspace, Progress progress, SecretFiles secrets) {
            return io.migrationrunbook.verify.Verifier.verify(target, settings(workspace), progress);
        }

        @Override
        public List<Secret> secrets() {
            return Arrays.asList(target.password());
        }

        @Override
        public String describe() {
            return "Verifying the schema of " + target.database() + " on " + target.host() + ":" + target.port();
        }
    }

    @Extension
    @Symbol("verifySchema")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "verifySchema";
        }

        @Override
        public String getDisplayName() {
            return "Verify the schema against expectations or a snapshot";
        }
    }
}
