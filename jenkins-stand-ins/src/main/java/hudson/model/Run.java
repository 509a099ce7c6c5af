package hudson.model;

import java.io.IOException;

/** Stand-in: one build. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    public JobT getParent() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    public String getUrl() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public String getFullDisplayName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public String getExternalizableId() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public boolean isBuilding() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public static Run<?, ?> fromExternalizableId(String id) throws IllegalArgumentException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
