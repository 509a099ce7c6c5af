package org.jenkinsci.plugins.workflow.steps;

import java.io.IOException;
import java.io.Serializable;

/**
 * Stand-in: what a running step sees (Run, TaskListener, FilePath, ...) and how it completes. The real class also
 * implements Guava's {@code FutureCallback<Object>}, whose two methods are declared here directly.
 */
public abstract class StepContext implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    public abstract void onSuccess(Object result);

    public abstract void onFailure(Throwable t);

    public abstract BodyInvoker newBodyInvoker();

    public abstract boolean hasBody();
}
