package hudson.model;

/** Stand-in (jenkins-core), for the JenkinsRule tests. (The real one extends Build, then AbstractBuild.) */
public class FreeStyleBuild extends Run<FreeStyleProject, FreeStyleBuild> implements Queue.Executable {

    private FreeStyleBuild() {
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
