package io.jenkins.plugins.migrationrunbook.smoke;

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

/** {@code smokeTestApi(...)}: Smoke-test an API after the migration, with correlation ids. */
public class SmokeTestApiStep extends RunbookStep {

    private String api = "";

    public String getApi() {
        return api;
    }

    /** Id of a configured API target. */
    @DataBoundSetter
    public void setApi(String api) {
        this.api = api == null || api.isBlank() ? "" : api.trim();
    }

    private String checks = "";

    public String getChecks() {
        return checks;
    }

    /** Checks file (YAML) in the workspace. */
    @DataBoundSetter
    public void setChecks(String checks) {
        this.checks = checks == null || checks.isBlank() ? "" : checks.trim();
    }
    @DataBoundConstructor
    public SmokeTestApiStep() {
    }

    @Override
    protected String functionName() {
        return "smokeTestApi";
    }

    @Override
    protected AgentTask<?> task(Targets targets) {
        throw NotYetAvailable.engine("smokeTestApi", "io.migrationrunbook.smoke");
    }

    @Extension
    @Symbol("smokeTestApi")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "smokeTestApi";
        }

        @Override
        public String getDisplayName() {
            return "Smoke-test an API after the migration, with correlation ids";
        }
    }
}
