package io.jenkins.plugins.migrationrunbook.agent;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import java.io.File;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

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

    /**
     * Why the step fails given the engine's result as returned to the controller, or null when it passed. By default
     * a result with {@code passed: false} fails, quoting its {@code reason} (or {@code outcome}).
     */
    public String failureOf(Map<String, Object> result) {
        if (!Boolean.FALSE.equals(result.get("passed"))) {
            return null;
        }
        Object reason = result.containsKey("reason") ? result.get("reason") : result.get("outcome");
        return reason == null ? "see the step's result" : String.valueOf(reason);
    }
}
