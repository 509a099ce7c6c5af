package jenkins;

import hudson.FilePath;

/** Stand-in: a file callable the controller sends to an agent. */
public abstract class MasterToSlaveFileCallable<T> implements FilePath.FileCallable<T> {
    private static final long serialVersionUID = 1L;
}
