package io.jenkins.plugins.migrationrunbook.consumers;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.consumers.HumanGate;
import io.migrationrunbook.consumers.ResumeConsumers;
import io.migrationrunbook.consumers.ResumeResult;
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
 * {@code resumeConsumers(controller: 'ingestion')}: resumes what {@code pauseConsumers} paused, from the pause state in
 * {@code stateDir}, and verifies consumption restarted (committed offsets advance where there is lag). Idempotent: a
 * state already resumed passes. The same state can be resumed outside Jenkins with {@code runbook resume --state-dir}.
 */
public class ResumeConsumersStep extends RunbookStep {

    private String controller = "";
    private String stateDir = ControllerAccess.DEFAULT_STATE_DIR;

    @DataBoundConstructor
    public ResumeConsumersStep() {
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

    /** The pause state directory pauseConsumers used (relative to the workspace). */
    @DataBoundSetter
    public void setStateDir(String stateDir) {
        this.stateDir = ControllerAccess.stateDirOrDefault(stateDir);
    }

    @Override
    protected String functionName() {
        return "resumeConsumers";
    }

    @Override
    protected ResumeTask task(Targets targets) {
        return new ResumeTask(ControllerAccess.resolve(targets, controller), stateDir);
    }

    /** The resume, as sent to the agent. */
    public static final class ResumeTask extends AgentTask<ResumeResult> {
        private static final long serialVersionUID = 1L;
        final ControllerAccess access;
        final String stateDir;

        ResumeTask(ControllerAccess access, String stateDir) {
            this.access = access;
            this.stateDir = stateDir;
        }

        @Override
        public ResumeResult run(File workspace, Progress progress, SecretFiles secrets) throws Exception {
            Path dir = Workspace.resolve(workspace, stateDir);
            try (AutoCloseable files = ControllerAccess.writeSecretFiles(dir, access.secretFiles())) {
                // the current configuration (URLs, credentials) rather than the one recorded at pause time: the engine
                // still checks that it controls every group the state lists
                return ResumeConsumers.from(dir).config(ConsumersConfig.parse(access.engineConfig(dir)))
                        .humanGate(HumanGate.refuseAll()).progress(progress).execute();
            }
        }

        @Override
        public List<Secret> secrets() {
            return access.secrets();
        }

        @Override
        public String describe() {
            return "Resuming the consumers of " + access.groups() + " through controller '" + access.name() + "' (" + access.type()
                    + "), from the state in " + stateDir;
        }
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
            return "Resume paused consumers and verify they consume again";
        }
    }
}
