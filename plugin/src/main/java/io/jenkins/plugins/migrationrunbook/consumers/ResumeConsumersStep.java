package io.jenkins.plugins.migrationrunbook.consumers;

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

/** {@code resumeConsumers(...)}: Resume paused consumers from the persisted pause state and verify consumption restarted. */
public class ResumeConsumersStep extends RunbookStep {

    private String controller = "";

    public String getController() {
        return controller;
    }

    /** Id of a configured consumer controller. */
    @DataBoundSetter
    public void setController(String controller) {
        this.controller = controller == null || controller.isBlank() ? "" : controller.trim();
    }

    private String stateDir = ".runbook/consumers";

    public String getStateDir() {
        return stateDir;
    }

    /** The pause state written by pauseConsumers. */
    @DataBoundSetter
    public void setStateDir(String stateDir) {
        this.stateDir = stateDir == null || stateDir.isBlank() ? ".runbook/consumers" : stateDir.trim();
    }
    @DataBoundConstructor
    public ResumeConsumersStep() {
    }

    @Override
    protected String functionName() {
        return "resumeConsumers";
    }

    @Override
    protected AgentTask<?> task(Targets targets) {
        throw NotYetAvailable.engine("resumeConsumers", "io.migrationrunbook.consumers");
    }

    @Extension
    @Symbol("resumeConsumers")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "resumeConsumers";
        }

        @Override
        public String getDisplayName() {
            return "Resume paused consumers from the persisted pause state and verify consumption restarted";
        }
    }
}
