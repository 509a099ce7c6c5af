package io.jenkins.plugins.migrationrunbook.consumers;

import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.steps.JenkinsTargets;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.migrationrunbook.core.RunbookException;
import java.io.PrintStream;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code withConsumersPaused(controller: 'ingestion') { flywayMigrate(...) }}: pauses the consumers (verified from
 * Kafka), runs the body, resumes them (verified). If the body fails the consumers stay paused — a forward fix or a
 * restore comes first — unless {@code resumeOnFailure: true}; the log and the run page say so and how to resume.
 * The rerun after the fix takes that pause over (see {@link PauseConsumersStep}) and resumes at the end.
 */
public class WithConsumersPausedStep extends Step {

    private String controller = "";
    private String stateDir = ControllerAccess.DEFAULT_STATE_DIR;
    private boolean resumeOnFailure;
    private boolean adoptExistingPause = true;

    @DataBoundConstructor
    public WithConsumersPausedStep() {
    }

    public String getController() {
        return controller;
    }

    @DataBoundSetter
    public void setController(String controller) {
        this.controller = controller == null ? "" : controller.trim();
    }

    public String getStateDir() {
        return stateDir;
    }

    @DataBoundSetter
    public void setStateDir(String stateDir) {
        this.stateDir = ControllerAccess.stateDirOrDefault(stateDir);
    }

    public boolean isResumeOnFailure() {
        return resumeOnFailure;
    }

    @DataBoundSetter
    public void setResumeOnFailure(boolean resumeOnFailure) {
        this.resumeOnFailure = resumeOnFailure;
    }

    public boolean isAdoptExistingPause() {
        return adoptExistingPause;
    }

    /** As pauseConsumers: take over a verified pause of the same controller an earlier build left (default true). */
    @DataBoundSetter
    public void setAdoptExistingPause(boolean adoptExistingPause) {
        this.adoptExistingPause = adoptExistingPause;
    }

    PauseConsumersStep pauseStep() {
        PauseConsumersStep s = new PauseConsumersStep();
        s.setController(controller);
        s.setStateDir(stateDir);
        s.setAdoptExistingPause(adoptExistingPause);
        return s;
    }

    ResumeConsumersStep resumeStep() {
        ResumeConsumersStep s = new ResumeConsumersStep();
        s.setController(controller);
        s.setStateDir(stateDir);
        return s;
    }

    /** The banner printed when the body failed and the consumers are deliberately left paused. */
    static String leftPausedBanner(String controller, String stateDir, Throwable cause) {
        String line = "=".repeat(100);
        return line + "\n[withConsumersPaused] CONSUMERS OF '" + controller + "' ARE STILL PAUSED: the block failed ("
                + cause + ").\n[withConsumersPaused] They were left paused on purpose (resumeOnFailure: false) so nothing "
                + "consumes against a half-migrated schema.\n[withConsumersPaused] Fix the migration and rerun this pipeline: "
                + "the rerun takes over the pause (same controller, stateDir '" + stateDir + "' on the same agent) and resumes "
                + "at the end.\n[withConsumersPaused] Or, after a restore, " + ConsumersLeftPausedAction.howToResume(controller, stateDir)
                + "\n" + line;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    private static final class Execution extends GeneralNonBlockingStepExecution {
        private static final long serialVersionUID = 1L;
        private final transient WithConsumersPausedStep step;
        private final String controller;
        private final String stateDir;
        private final boolean resumeOnFailure;

        Execution(StepContext context, WithConsumersPausedStep step) {
            super(context);
            this.step = step;
            this.controller = step.controller;
            this.stateDir = step.stateDir;
            this.resumeOnFailure = step.resumeOnFailure;
        }

        @Override
        public boolean start() {
            run(() -> {
                Run<?, ?> run = getContext().get(Run.class);
                TaskListener listener = getContext().get(TaskListener.class);
                FilePath workspace = getContext().get(FilePath.class);
                JenkinsTargets targets = new JenkinsTargets(run);
                AgentTask<?> pause;
                try {
                    // both resolved before anything is paused: a bad resume configuration must not strand consumers.
                    // The resume task is resolved again when needed: it carries credentials, and this execution is
                    // saved with the pipeline program on disk.
                    pause = step.pauseStep().task(targets);
                    step.resumeStep().task(targets);
                } catch (RunbookException e) {
                    throw RunbookStep.failure("withConsumersPaused", e);
                }
                step.pauseStep().checkBeforeAgent(run, workspace, listener);
                RunbookStep.runOnAgent("withConsumersPaused", pause, workspace, listener);
                getContext().newBodyInvoker().withCallback(new AfterBody()).start();
            });
            return false;
        }

        private void resume(StepContext context) throws Exception {
            ResumeConsumersStep resume = new ResumeConsumersStep();
            resume.setController(controller);
            resume.setStateDir(stateDir);
            AgentTask<?> task;
            try {
                task = resume.task(new JenkinsTargets(context.get(Run.class)));
            } catch (RunbookException e) {
                throw RunbookStep.failure("withConsumersPaused", e);
            }
            RunbookStep.runOnAgent("withConsumersPaused", task, context.get(FilePath.class), context.get(TaskListener.class));
        }

        private final class AfterBody extends BodyExecutionCallback {
            private static final long serialVersionUID = 1L;

            @Override
            public void onSuccess(StepContext context, Object result) {
                run(() -> {
                    resume(context);
                    context.onSuccess(result);
                });
            }

            @Override
            public void onFailure(StepContext context, Throwable t) {
                run(() -> {
                    if (resumeOnFailure) {
                        try {
                            resume(context);
                        } catch (Exception e) {
                            t.addSuppressed(e);
                            PrintStream log = context.get(TaskListener.class).getLogger();
                            log.println(leftPausedBanner(controller, stateDir, e));
                            context.get(Run.class).addAction(new ConsumersLeftPausedAction(controller, stateDir, String.valueOf(e)));
                        }
                    } else {
                        context.get(TaskListener.class).getLogger().println(leftPausedBanner(controller, stateDir, t));
                        context.get(Run.class).addAction(new ConsumersLeftPausedAction(controller, stateDir, String.valueOf(t)));
                    }
                    context.onFailure(t);
                });
            }
        }
    }

    @Extension
    @Symbol("withConsumersPaused")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return RunbookStep.CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "withConsumersPaused";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Keep Kafka consumers paused while the block runs";
        }
    }
}
