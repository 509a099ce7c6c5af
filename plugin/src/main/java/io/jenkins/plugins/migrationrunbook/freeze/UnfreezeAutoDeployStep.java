package io.jenkins.plugins.migrationrunbook.freeze;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.migrationrunbook.core.RunbookException;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code unfreezeAutoDeploy()}: re-enables exactly the jobs this run's freezes disabled (and only those still
 * disabled). Safe to call more than once, and when nothing was frozen.
 */
public class UnfreezeAutoDeployStep extends Step {

    @DataBoundConstructor
    public UnfreezeAutoDeployStep() {
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context);
    }

    private static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context) {
            super(context);
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            if (run.getAction(FreezeRecord.class) == null) {
                listener.getLogger().println("[unfreeze] This run froze nothing: nothing to re-enable.");
                return Freezer.Result.none().toMap();
            }
            Freezer.Result result = FreezeSteps.freezer(run, listener).unfreezeAll(System.currentTimeMillis());
            if (!result.failed().isEmpty()) {
                throw RunbookException.environment("Could not re-enable " + result.failed()
                        + ": they stay disabled. Run unfreezeAutoDeploy() again or enable them by hand.");
            }
            return result.toMap();
        }
    }

    @Extension
    @Symbol("unfreezeAutoDeploy")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "unfreezeAutoDeploy";
        }

        @Override
        public String getDisplayName() {
            return "Unfreeze auto-deploy: re-enable the jobs this run disabled";
        }
    }
}
