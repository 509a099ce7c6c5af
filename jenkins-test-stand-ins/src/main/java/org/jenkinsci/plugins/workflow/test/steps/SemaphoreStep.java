package org.jenkinsci.plugins.workflow.test.steps;

import hudson.model.Run;
import java.io.IOException;
import java.io.Serializable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/** Stand-in (workflow-support's tests jar), for the JenkinsRule tests: the {@code semaphore 'id'} step. */
public final class SemaphoreStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private SemaphoreStep() {
    }

    public static void success(String k, Object returnValue) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public static void waitForStart(String k, Run<?, ?> b) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
