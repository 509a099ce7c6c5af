package io.jenkins.plugins.migrationrunbook.agent;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import java.io.File;
import java.io.Serializable;
import java.util.List;

/**
 * One engine operation, with everything it needs already resolved on the controller (targets, credentials as engine
 * {@link Secret}s), sent to the agent by {@link EngineCallable} and run there, where the database and brokers are
 * reachable and pg_dump lives. Holds only serializable values; engine settings objects are built on the agent.
 *
 * @param <R> the engine's result record
 */
public abstract class AgentTask<R> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Runs the engine operation; {@code workspace} resolves relative paths, {@code secrets} makes secret files. */
    public abstract R run(File workspace, Progress progress, SecretFiles secrets) throws Exception;

    /** Every secret this task carries: whatever the engine prints is scrubbed of them before it reaches the log. */
    public abstract List<Secret> secrets();

    /** One line for the build log saying what is about to run (no secrets). */
    public abstract String describe();
}
