package io.jenkins.plugins.migrationrunbook.freeze;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code freezeAutoDeploy(jobs: ['deploy/*'], preset: 'payments')}: disables the matching enabled jobs and records
 * exactly which on the run. Pair it with {@code unfreezeAutoDeploy()} in a {@code post { always { } }} block, or use
 * {@code withAutoDeployFrozen { }}, which re-enables them in every case.
 */
public class FreezeAutoDeployStep extends Step {

    private List<String> jobs = new ArrayList<>();
    private String preset = "";

    @DataBoundConstructor
    public FreezeAutoDeployStep() {
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

    static Map<String, Object> result(FreezeEntry entry) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("freezeId", entry.getId());
        m.put("patterns", entry.getPatterns());
        m.put("disabled", entry.getDisabled());
        m.put("joined", entry.getJoined());
        m.put("alreadyDisabled", entry.getAlreadyDisabled());
        return m;
    }

    private static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final List<String> jobs;
        private final String preset;

        Execution(StepContext context, List<String> jobs, String preset) {
            super(context);
            this.jobs = new ArrayList<>(jobs);
            this.preset = preset;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            FreezeEntry entry = FreezeSteps.freezer(run, listener).freeze(FreezeSteps.patterns(jobs, preset),
                    System.currentTimeMillis());
            return result(entry);
        }
    }

    @Extension
    @Symbol("freezeAutoDeploy")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "freezeAutoDeploy";
        }

        @Override
        public String getDisplayName() {
            return "Freeze auto-deploy: disable jobs for the migration";
        }
    }
}
