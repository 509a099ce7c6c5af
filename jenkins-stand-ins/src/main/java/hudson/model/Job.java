package hudson.model;

/** Stand-in: a project with builds. */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> implements Item {
    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    public RunT getBuildByNumber(int n) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
