package hudson.model.queue;

import hudson.model.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Stand-in, for the JenkinsRule tests only (plugin-jenkinsrule-compile): what {@code scheduleBuild2} returns.
 * Not used by plugin/src/main.
 */
public interface QueueTaskFuture<R extends Queue.Executable> extends Future<R> {
    R waitForStart() throws InterruptedException, ExecutionException;
}
