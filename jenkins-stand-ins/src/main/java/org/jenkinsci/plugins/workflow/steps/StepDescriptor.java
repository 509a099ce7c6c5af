package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Set;

/** Stand-in: a step's metadata; the function name is what pipelines call. */
public abstract class StepDescriptor extends Descriptor<Step> {
    public abstract Set<? extends Class<?>> getRequiredContext();

    public abstract String getFunctionName();

    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    public static StepDescriptor byFunctionName(String name) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public boolean takesImplicitBlockArgument() {
        return false;
    }

    @Override
    public String getDisplayName() {
        return getFunctionName();
    }
}
