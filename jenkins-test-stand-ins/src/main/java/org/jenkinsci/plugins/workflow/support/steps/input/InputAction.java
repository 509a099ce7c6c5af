package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.model.Action;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Stand-in (pipeline-input-step), for the JenkinsRule tests. (The real one implements RunAction2, an Action.) */
public class InputAction implements Action {

    private InputAction() {
    }

    public synchronized List<InputStepExecution> getExecutions() throws InterruptedException, TimeoutException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getIconFileName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getUrlName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
