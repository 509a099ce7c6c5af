package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.model.Action;

/** Stand-in (pipeline-input-step), for the JenkinsRule tests. (The real one extends InvisibleAction, an Action.) */
public class ApproverAction implements Action {

    private ApproverAction() {
    }

    public String getUserId() {
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
