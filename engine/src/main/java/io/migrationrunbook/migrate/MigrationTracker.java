package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.internal.info.MigrationInfoImpl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows a migrate run through Flyway's callbacks: reports each migration as it starts and ends, times it, counts
 * its lock-timeout retries and remembers the statement that failed. One tracker spans all attempts of a run.
 */
final class MigrationTracker implements Callback {

    private final Progress progress;
    private final Map<String, Integer> retries = new HashMap<>();
    private final Map<String, Long> firstStart = new HashMap<>();
    private final List<AppliedMigration> applied = new ArrayList<>();
    private long attemptStart;
    private String failedStatement;

    MigrationTracker(Progress progress) {
        this.progress = progress;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE_ERROR
                || event == Event.AFTER_EACH_MIGRATE_STATEMENT_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo migration = context.getMigrationInfo();
        if (migration == null) {
            return;
        }
        String key = key(migration);
        long now = System.nanoTime();
        switch (event) {
            case BEFORE_EACH_MIGRATE -> {
                attemptStart = now;
                failedStatement = null;
                firstStart.putIfAbsent(key, now);
                int retry = retries(key);
                progress.report("Applying %s (%s)%s", label(migration), migration.getScript(),
                        retry == 0 ? "" : " - retry " + retry + " after lock timeout");
            }
            case AFTER_EACH_MIGRATE -> {
                long durationMs = (now - attemptStart) / 1_000_000;
                long waitedMs = (attemptStart - firstStart.getOrDefault(key, attemptStart)) / 1_000_000;
                int retry = retries(key);
                applied.add(new AppliedMigration(version(migration), migration.getDescription(), migration.getScript(),
                        migration.getPhysicalLocation(), transactional(migration), durationMs, retry, waitedMs));
                progress.report("Applied %s in %s%s", label(migration), Progress.format(Duration.ofMillis(durationMs)),
                        retry == 0 ? "" : " after " + retry + (retry == 1 ? " retry" : " retries") + " ("
                                + Progress.format(Duration.ofMillis(waitedMs)) + " waiting for locks)");
            }
            case AFTER_EACH_MIGRATE_STATEMENT_ERROR -> {
                if (context.getStatement() != null) {
                    failedStatement = context.getStatement().getSql();
                }
            }
            case AFTER_EACH_MIGRATE_ERROR -> progress.report("%s failed after %s", label(migration),
                    Progress.format(Duration.ofNanos(now - attemptStart)));
            default -> {
            }
        }
    }

    @Override
    public String getCallbackName() {
        return "runbook-migration-tracker";
    }

    int retries(String key) {
        return retries.getOrDefault(key, 0);
    }

    void retrying(String key) {
        retries.merge(key, 1, Integer::sum);
    }

    int totalRetries() {
        return retries.values().stream().mapToInt(Integer::intValue).sum();
    }

    List<AppliedMigration> applied() {
        return List.copyOf(applied);
    }

    /** The statement that failed last, when Flyway reported it through the statement callbacks. */
    String failedStatement() {
        return failedStatement;
    }

    static String key(MigrationInfo migration) {
        return migration.getVersion() == null ? "R:" + migration.getScript() : "V:" + migration.getVersion().getVersion();
    }

    static String label(MigrationInfo migration) {
        return (migration.getVersion() == null ? "repeatable" : "V" + migration.getVersion().getVersion())
                + " \"" + migration.getDescription() + "\"";
    }

    static String version(MigrationInfo migration) {
        return migration == null || migration.getVersion() == null ? null : migration.getVersion().getVersion();
    }

    /** Whether Flyway runs it in a transaction; null when Flyway does not tell (not its own info type, or unparsable). */
    static Boolean transactional(MigrationInfo migration) {
        if (migration instanceof MigrationInfoImpl impl && impl.getResolvedMigration() != null) {
            try {
                return impl.canExecuteInTransaction();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
