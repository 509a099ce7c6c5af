package io.jenkins.plugins.migrationrunbook.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * The one callable every step sends to its agent: runs an {@link AgentTask} in the workspace, reports progress to the
 * build log with every carried secret scrubbed, and returns the result as a plain map. Engine failures come back as
 * {@link RunbookException}s with scrubbed messages and no foreign cause (a driver message could quote a secret).
 */
public final class EngineCallable extends MasterToSlaveFileCallable<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final AgentTask<?> task;
    private final TaskListener listener;

    public EngineCallable(AgentTask<?> task, TaskListener listener) {
        this.task = task;
        this.listener = listener;
    }

    @Override
    public Map<String, Object> invoke(File workspace, VirtualChannel channel) {
        List<Secret> secrets = task.secrets();
        PrintStream log = listener.getLogger();
        Progress progress = message -> {
            log.println(redact(message, secrets));
            log.flush();
        };
        // On an agent the engine's classes come through the remoting class loader: make it the context class loader
        // (Flyway and Kafka look plugins up through it) and register the JDBC driver from it (DriverManager only hands
        // a caller drivers its own class loader can see).
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EngineCallable.class.getClassLoader());
        try (SecretFiles files = new SecretFiles()) {
            registerJdbcDriver();
            Object result = task.run(workspace, progress, files);
            return StepResults.toMap(result);
        } catch (RunbookException e) {
            RunbookException clean = new RunbookException(e.kind(), redact(e.getMessage(), secrets));
            clean.setStackTrace(e.getStackTrace());
            throw clean;
        } catch (Exception e) {
            RunbookException clean = RunbookException.environment(e.getClass().getSimpleName() + ": "
                    + redact(e.getMessage(), secrets));
            clean.setStackTrace(e.getStackTrace());
            throw clean;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void registerJdbcDriver() {
        try {
            Class.forName("org.postgresql.Driver", true, EngineCallable.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // not every task talks to PostgreSQL; the engine reports a missing driver where it needs one
        }
    }

    static String redact(String text, List<Secret> secrets) {
        String out = text;
        for (Secret s : secrets) {
            if (s != null) {
                out = s.redact(out);
            }
        }
        return out;
    }
}
