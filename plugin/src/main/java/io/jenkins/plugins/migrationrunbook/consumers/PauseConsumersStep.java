package io.jenkins.plugins.migrationrunbook.consumers;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.consumers.HumanGate;
import io.migrationrunbook.consumers.PauseConsumers;
import io.migrationrunbook.consumers.PauseResult;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code pauseConsumers(controller: 'ingestion')}: asks the service to pause its consumers, then proves it from Kafka
 * (committed offsets still over a quiet window), records the pre-pause lag baseline, and persists the pause state in
 * {@code stateDir} on the agent for {@code resumeConsumers} (or {@code runbook resume --state-dir}). On a failed
 * verification the engine resumes them (best effort) and the step fails.
 */
public class PauseConsumersStep extends RunbookStep {

    private String controller = "";
    private String stateDir = ControllerAccess.DEFAULT_STATE_DIR;

    @DataBoundConstructor
    public PauseConsumersStep() {
    }

    public String getController() {
        return controller;
    }

    /** Id of a configured consumer controller. */
    @DataBoundSetter
    public void setController(String controller) {
        this.controller = controller == null ? "" : controller.trim();
    }

    public String getStateDir() {
        return stateDir;
    }

    /** Where the pause state is kept on the agent (relative to the workspace); resumeConsumers reads it. */
    @DataBoundSetter
    public void setStateDir(String stateDir) {
        this.stateDir = ControllerAccess.stateDirOrDefault(stateDir);
    }

    @Override
    protected String functionName() {
        return "pauseConsumers";
    }

    @Override
    protected PauseTask task(Targets targets) {
        return new PauseTask(ControllerAccess.resolve(targets, controller), stateDir);
    }

    /** The pause, as sent to the agent. */
    public static final class PauseTask extends AgentTask<PauseResult> {
        private static final long serialVersionUID = 1L;
        final ControllerAccess access;
        final String stateDir;

        PauseTask(ControllerAccess access, String stateDir) {
            this.access = access;
            this.stateDir = stateDir;
        }

        @Override
        public PauseResult run(File workspace, Progress progress, SecretFiles secrets) throws Exception {
            Path dir = Workspace.resolve(workspace, stateDir);
            try (AutoCloseable files = ControllerAccess.writeSecretFiles(dir, access.secretFiles())) {
                ConsumersConfig config = ConsumersConfig.parse(access.engineConfig(dir));
                return PauseConsumers.with(config).stateDir(dir).humanGate(HumanGate.refuseAll()).progress(progress).execute();
            }
        }

        @Override
        public List<Secret> secrets() {
            return access.secrets();
        }

        @Override
        public String describe() {
            return "Pausing the consumers of " + access.groups() + " through controller '" + access.name() + "' (" + access.type()
                    + "), state in " + stateDir;
        }
    }

    @Extension
    @Symbol("pauseConsumers")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "pauseConsumers";
        }

        @Override
        public String getDisplayName() {
            return "Pause a service's Kafka consumers and verify it from Kafka";
        }
    }
}
