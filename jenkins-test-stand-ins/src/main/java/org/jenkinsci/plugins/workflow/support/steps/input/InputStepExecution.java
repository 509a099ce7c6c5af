package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.model.ModelObject;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/** Stand-in (pipeline-input-step), for the JenkinsRule tests. (The real one extends AbstractStepExecutionImpl, a StepExecution.) */
public class InputStepExecution extends StepExecution implements ModelObject {
    private static final long serialVersionUID = 1L;

    private InputStepExecution() {
    }

    @Override
    public boolean start() throws Exception {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
