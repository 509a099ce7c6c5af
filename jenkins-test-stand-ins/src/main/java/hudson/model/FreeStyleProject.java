package hudson.model;

import jenkins.model.ParameterizedJobMixIn;

/**
 * Stand-in (jenkins-core), for the JenkinsRule tests. (The real one extends Project, then AbstractProject, which
 * implements ParameterizedJob and Queue.Task; isDisabled and makeDisabled come from AbstractProject there.)
 */
public class FreeStyleProject extends Job<FreeStyleProject, FreeStyleBuild>
        implements TopLevelItem, ParameterizedJobMixIn.ParameterizedJob<FreeStyleProject, FreeStyleBuild>, Queue.Task {

    private FreeStyleProject() {
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
