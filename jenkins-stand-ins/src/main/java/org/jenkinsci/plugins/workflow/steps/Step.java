package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Describable;

/** Stand-in: a Pipeline step's configuration; starts an execution. */
public abstract class Step implements Describable<Step> {
    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
