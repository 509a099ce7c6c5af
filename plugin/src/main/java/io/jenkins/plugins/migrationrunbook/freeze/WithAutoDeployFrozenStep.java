package io.jenkins.plugins.migrationrunbook.freeze;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code withAutoDeployFrozen(jobs: [...]) { ... }}: freezes, runs the body, and re-enables exactly the jobs it
 * disabled whether the body succeeds, fails or is aborted — also after a controller restart, since both this
 * execution and the run's {@link FreezeRecord} are persisted.
 */
public class WithAutoDeployFrozenStep extends Step {

    private List<String> jobs = new ArrayList<>();
    private String preset = "";

    @DataBoundConstructor
    public WithAutoDeployFrozenStep() {
    }

    public List<String> getJobs() {
        return List.copyOf(jobs);
    }

    @DataBoundSetter
    public void setJobs(List<String> jobs) {
        this.jobs = jobs == null ? new ArrayList<>() : new ArrayList<>(jobs);
    }

    public String getPreset() {
        return preset;
    }

    @DataBoundSetter
    public void setPreset(String preset) {
        this.preset = preset == null ? "" : preset.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, jobs, preset);
    }

    private static final class Execution extends GeneralNonBlockingStepExecution {
        private static final long serialVersionUID = 1L;
        private final List<String> jobs;
        private final String preset;
        private String freezeId;

        Execution(StepContext context, List<String> jobs, String preset) {
            super(context);
            this.jobs = new ArrayList<>(jobs);
            this.preset = preset;
        }

        @Override
        public boolean start() {
            run(() -> {
                Run<?, ?> run = getContext().get(Run.class);
                TaskListener listener = getContext().get(TaskListener.class);
                FreezeEntry entry = FreezeSteps.freezer(run, listener).freeze(FreezeSteps.patterns(jobs, preset),
                        System.currentTimeMillis());
                freezeId = entry.getId();
                getContext().newBodyInvoker().withCallback(new Unfreeze()).start();
            });
            return false;
        }

        private final class Unfreeze extends TailCall {
            private static final long serialVersionUID = 1L;

            @Override
            protected void finished(StepContext context) throws Exception {
                Run<?, ?> run = context.get(Run.class);
                TaskListener listener = context.get(TaskListener.class);
                FreezeRecord record = FreezeSteps.record(run);
                FreezeEntry entry = record.entry(freezeId).orElse(null);
                if (entry == null) {
                    listener.getLogger().println("[unfreeze] WARNING: no record of freeze " + freezeId + " on this run: "
                            + "nothing re-enabled. Check the auto-deploy jobs by hand.");
                    return;
                }
                Freezer.Result result = FreezeSteps.freezer(run, listener).unfreeze(entry, System.currentTimeMillis());
                if (!result.failed().isEmpty()) {
                    throw new IllegalStateException("Could not re-enable " + result.failed()
                            + ": they stay disabled. Run unfreezeAutoDeploy() or enable them by hand.");
                }
            }
        }
    }

    @Extension
    @Symbol("withAutoDeployFrozen")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "withAutoDeployFrozen";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Keep auto-deploy frozen while the block runs";
        }
    }
}
