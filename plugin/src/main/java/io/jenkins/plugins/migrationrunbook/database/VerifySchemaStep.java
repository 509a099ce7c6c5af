package io.jenkins.plugins.migrationrunbook.database;

import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.steps.NotYetAvailable;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** {@code verifySchema(...)}: Verify the schema against expectations or a snapshot. */
public class VerifySchemaStep extends RunbookStep {

    private String database = "";

    public String getDatabase() {
        return database;
    }

    /** Id of a configured database. */
    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = database == null || database.isBlank() ? "" : database.trim();
    }

    private String expect = "";

    public String getExpect() {
        return expect;
    }

    /** Expectations file (YAML) in the workspace. */
    @DataBoundSetter
    public void setExpect(String expect) {
        this.expect = expect == null || expect.isBlank() ? "" : expect.trim();
    }
    @DataBoundConstructor
    public VerifySchemaStep() {
    }

    @Override
    protected String functionName() {
        return "verifySchema";
    }

    @Override
    protected AgentTask<?> task(Targets targets) {
        throw NotYetAvailable.engine("verifySchema", "io.migrationrunbook.verify");
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
