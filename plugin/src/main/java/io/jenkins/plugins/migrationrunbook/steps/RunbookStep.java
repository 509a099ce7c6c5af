package io.jenkins.plugins.migrationrunbook.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.EngineCallable;
import io.migrationrunbook.core.RunbookException;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * A step that is a thin adapter over one engine operation: on the controller it resolves targets and credentials
 * ({@link #task}), then runs the task on the agent through {@link EngineCallable} and returns the engine's result as
 * a map. Engine failures end the step with their message (problem and fix) and no stack trace.
 */
public abstract class RunbookStep extends Step {

    /** The context every such step needs: a node (its workspace is where the work runs). */
    public static final Set<Class<?>> CONTEXT = Set.of(Run.class, TaskListener.class, FilePath.class);

    /** The step's Pipeline name, for log prefixes. */
    protected abstract String functionName();

    /** Resolves everything on the controller and returns the work for the agent; fails here on bad input. */
    protected abstract AgentTask<?> task(Targets targets);

    /**
     * Checks that need Jenkins itself (other builds), after {@link #task} and before the task runs on the agent; fails
     * the step by throwing. None by default.
     */
    public void checkBeforeAgent(Run<?, ?> run, FilePath workspace, TaskListener listener) throws Exception {
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    /** Runs a task on the agent of {@code workspace}; shared with the block steps. */
    public static Map<String, Object> runOnAgent(String functionName, AgentTask<?> task, FilePath workspace, TaskListener listener)
            throws Exception {
        listener.getLogger().println("[" + functionName + "] " + task.describe());
        Map<String, Object> result;
        try {
            result = workspace.act(new EngineCallable(task, listener));
        } catch (RunbookException e) {
            throw failure(functionName, e);
        }
        String failure = task.failureOf(result);
        if (failure != null) {
            throw new AbortException("[" + functionName + "] check failed: " + failure);
        }
        return result;
    }

    public static AbortException failure(String functionName, RunbookException e) {
        String kind = switch (e.kind()) {
            case CHECK_FAILED -> "check failed";
            case CONFIGURATION -> "configuration error";
            case ENVIRONMENT -> "environment error";
        };
        return new AbortException("[" + functionName + "] " + kind + ": " + e.getMessage());
    }

    private static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient RunbookStep step;

        Execution(StepContext context, RunbookStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            FilePath workspace = getContext().get(FilePath.class);
            AgentTask<?> task;
            try {
                task = step.task(new JenkinsTargets(run));
            } catch (RunbookException e) {
                throw failure(step.functionName(), e);
            }
            step.checkBeforeAgent(run, workspace, listener);
            return runOnAgent(step.functionName(), task, workspace, listener);
        }
    }
}
