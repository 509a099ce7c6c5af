package jenkins.model;

import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.Action;
import hudson.model.queue.QueueTaskFuture;
import java.io.IOException;

/** Stand-in: only the nested job interface the plugin uses. */
public abstract class ParameterizedJobMixIn<JobT extends Job<JobT, RunT> & ParameterizedJobMixIn.ParameterizedJob<JobT, RunT>
        & Queue.Task, RunT extends Run<JobT, RunT> & Queue.Executable> {

    /** Stand-in: a job that can be built, and disabled. (The real one reaches Item and Queue.Task through BuildableItem.) */
    public interface ParameterizedJob<JobT extends Job<JobT, RunT> & ParameterizedJob<JobT, RunT> & Queue.Task,
            RunT extends Run<JobT, RunT> & Queue.Executable> extends Item, Queue.Task {
        default boolean isDisabled() {
            return false;
        }

        default boolean supportsMakeDisabled() {
            return false;
        }

        /** As the real one: ignores a disable when {@link #supportsMakeDisabled()} is false. */
        default void makeDisabled(boolean b) throws IOException {
            throw new UnsupportedOperationException("stand-in: no Jenkins here");
        }

        // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
        default QueueTaskFuture<RunT> scheduleBuild2(int quietPeriod, Action... actions) {
            throw new UnsupportedOperationException("stand-in: no Jenkins here");
        }
    }
}
