package org.jenkinsci.plugins.workflow.steps;

/**
 * Stand-in: runs {@link #run()} off the CPS thread and completes the context with its result. Here it simply
 * runs in the calling thread.
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
    private static final long serialVersionUID = 1L;

    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        T result;
        try {
            result = run();
        } catch (Throwable x) {
            getContext().onFailure(x);
            return false;
        }
        getContext().onSuccess(result);
        return false;
    }
}
