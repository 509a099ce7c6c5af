package org.jenkinsci.plugins.workflow.cps;

import hudson.model.Descriptor;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;

/** Stand-in (workflow-cps), for the JenkinsRule tests: a pipeline script. */
public class CpsFlowDefinition extends FlowDefinition {

    public CpsFlowDefinition(String script, boolean sandbox) throws Descriptor.FormException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public Descriptor<FlowDefinition> getDescriptor() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
