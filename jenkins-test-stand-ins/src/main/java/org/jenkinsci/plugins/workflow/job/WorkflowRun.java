package org.jenkinsci.plugins.workflow.job;

import hudson.model.Queue;
import hudson.model.Run;
import org.kohsuke.stapler.HttpResponse;

/**
 * Stand-in (workflow-job), for the JenkinsRule tests: a pipeline build. (The real one implements
 * FlowExecutionOwner.Executable, a Queue.Executable.)
 */
public final class WorkflowRun extends Run<WorkflowJob, WorkflowRun> implements Queue.Executable {

    private WorkflowRun() {
    }

    public HttpResponse doStop() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
