package org.jenkinsci.plugins.workflow.job;

import hudson.model.Descriptor;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.TopLevelItem;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;

/**
 * Stand-in (workflow-job), for the JenkinsRule tests: a pipeline job. (The real one implements Queue.FlyweightTask,
 * a Queue.Task, and more interfaces the tests do not reach.)
 */
public final class WorkflowJob extends Job<WorkflowJob, WorkflowRun>
        implements ParameterizedJobMixIn.ParameterizedJob<WorkflowJob, WorkflowRun>, TopLevelItem, Queue.Task {

    private WorkflowJob() {
    }

    public void setDefinition(FlowDefinition definition) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getFullName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public Descriptor<TopLevelItem> getDescriptor() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
