package io.jenkins.plugins.migrationrunbook.config;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.migrationrunbook.freeze.JobPattern;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/** A named list of jobs to freeze together ({@code freezeAutoDeploy(preset: 'payments')}). */
public class FreezePreset extends ConfigItem<FreezePreset> {

    private final String id;
    private final String jobs;

    @DataBoundConstructor
    public FreezePreset(String id, String jobs) {
        this.id = trimToEmpty(id);
        this.jobs = jobs == null ? "" : jobs.trim();
    }

    @Override
    public String getId() {
        return id;
    }

    /** Full job names or globs ({@code deploy/*}, {@code **}{@code /auto-deploy}), one per line or comma-separated. */
    public String getJobs() {
        return jobs;
    }

    public List<String> getJobList() {
        return Validation.splitList(jobs);
    }

    @Extension
    @Symbol("freezePreset")
    public static final class DescriptorImpl extends Descriptor<FreezePreset> {
        @Override
        public String getDisplayName() {
            return "Freeze preset";
        }

        public FormValidation doCheckId(@QueryParameter String value) {
            return Forms.check(Validation.id(value));
        }

        public FormValidation doCheckJobs(@QueryParameter String value) {
            List<String> patterns = Validation.splitList(value);
            if (patterns.isEmpty()) {
                return FormValidation.error("List at least one job name or glob.");
            }
            for (String p : patterns) {
                String problem = JobPattern.problem(p);
                if (problem != null) {
                    return FormValidation.error(problem);
                }
            }
            return FormValidation.ok();
        }
    }
}
