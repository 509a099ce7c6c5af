package org.jenkinsci.plugins.workflow.steps;

/**
 * Stand-in: background work for block steps. Here {@link #run(Block)} runs in the calling thread; a failure
 * completes the context, as in the real class.
 */
public abstract class GeneralNonBlockingStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;

    protected GeneralNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    /** Stand-in: code to run off the CPS thread. */
    @FunctionalInterface
    protected interface Block {
        void run() throws Exception;
    }

    protected final void run(Block block) {
        try {
            block.run();
        } catch (Throwable x) {
            getContext().onFailure(x);
        }
    }

    /** Stand-in: {@link BodyExecutionCallback.TailCall} whose {@link #finished} runs in the background. */
    protected abstract class TailCall extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;

        protected abstract void finished(StepContext context) throws Exception;

        @Override
        public final void onSuccess(StepContext context, Object result) {
            run(() -> {
                try {
                    finished(context);
                } catch (Exception x) {
                    context.onFailure(x);
                    return;
                }
                context.onSuccess(result);
            });
        }

        @Override
        public final void onFailure(StepContext context, Throwable t) {
            run(() -> {
                try {
                    finished(context);
                } catch (Exception x) {
                    t.addSuppressed(x);
                }
                context.onFailure(t);
            });
        }
    }
}
