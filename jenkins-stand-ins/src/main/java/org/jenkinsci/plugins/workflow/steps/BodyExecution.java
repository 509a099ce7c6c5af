package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stand-in: a running body. */
public abstract class BodyExecution implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract boolean cancel(Throwable cause);
}
