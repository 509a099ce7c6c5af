package hudson.model;

import java.io.Serializable;

/** Stand-in (jenkins-core), for the JenkinsRule tests: the build results they assert. (The real one also implements CustomExportedBean.) */
public final class Result implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Result SUCCESS = new Result("SUCCESS");
    public static final Result FAILURE = new Result("FAILURE");
    public static final Result ABORTED = new Result("ABORTED");

    private final String name;

    private Result(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
