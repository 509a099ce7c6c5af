package hudson.model;

/** Stand-in: only the two nested interfaces that bound ParameterizedJobMixIn.ParameterizedJob's type parameters. */
public abstract class Queue {
    private Queue() {
    }

    /** Stand-in: something that can be queued (a job). */
    public interface Task extends ModelObject {
    }

    /** Stand-in: what a task runs (a build). */
    public interface Executable extends Runnable {
    }
}
