package io.migrationrunbook.rehearse;

import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.schema.SchemaDiff;

import java.util.List;
import java.util.Set;

/**
 * What the rehearsal observed ({@code runbook rehearse --json}).
 *
 * @param passed              every migration ran and no ACCESS EXCLUSIVE phase exceeded the lock budget
 * @param targetDatabase      the database copied (never changed)
 * @param scratchDatabase     where the migrations ran
 * @param scratchServer       host:port of the scratch database
 * @param source              {@code backup FILE} or {@code schema-only dump (+N sample rows per table)}
 * @param scratchDropped      the scratch database was dropped afterwards (false with {@code --keep})
 * @param migrations          per migration and statement: locks, rewrites, duration, rows
 * @param lockPhases          every ACCESS EXCLUSIVE phase on a table that existed before, with its duration
 * @param lockBudgetMs        the budget phases are compared with
 * @param schemaChanges       the catalog before vs after (SchemaDiff)
 * @param classes             the release's classes decided from the facts above, not from the SQL text
 * @param reasons             why each class, as facts ("column public.t.c dropped", "public.t rewritten")
 * @param setupMs             creating and filling the scratch database
 * @param estimatedDurationMs the migrations' own time on the copy (statements and commits)
 * @param runWallMs           wall time of the run phase, the observation queries around each statement included
 * @param windowEstimate      a duration for the maintenance-window check ({@code window --estimate}, the plan's
 *                            {@code window.estimate}): the estimate times 2, rounded up to whole seconds
 * @param failure             the statement that failed and why, or null
 * @param notes               caveats (sample data, placeholders ...)
 */
public record RehearsalResult(boolean passed, String targetDatabase, String scratchDatabase, String scratchServer, String source,
                              boolean scratchDropped, List<RehearsedMigration> migrations, List<LockPhase> lockPhases,
                              long lockBudgetMs, List<SchemaDiff.Change> schemaChanges, Set<ChangeClass> classes,
                              List<String> reasons, long setupMs, long estimatedDurationMs, long runWallMs, String windowEstimate,
                              String failure, List<String> notes) {

    public List<LockPhase> overBudget() {
        return lockPhases.stream().filter(LockPhase::overBudget).toList();
    }

    /** One migration as it ran on the copy. */
    public record RehearsedMigration(String version, String description, String script, boolean transactional, long durationMs,
                                     List<RehearsedStatement> statements, boolean succeeded) {
    }

    /**
     * One statement.
     *
     * @param locks           relation locks this statement acquired (relation and mode)
     * @param lockSource      {@code own-backend}: read from pg_locks for its own backend before the transaction ended;
     *                        {@code sampled}: a statement that cannot run in a transaction (CONCURRENTLY), its locks
     *                        sampled from another session while it ran
     * @param rewritten       tables whose relfilenode changed (the table was rewritten)
     * @param rowsAffected    for DML, the rows it changed
     * @param error           SQLSTATE and message when it failed
     */
    public record RehearsedStatement(int line, String statement, boolean inTransaction, long durationMs, List<Lock> locks,
                                     String lockSource, List<String> rewritten, Long rowsAffected, String error) {
    }

    public record Lock(String relation, String mode) {
    }

    /**
     * A write-blocking lock held on an existing table from the statement that took it to the end of its transaction.
     *
     * @param overBudget the phase lasted longer than the lock budget: writers would queue that long in production
     */
    public record LockPhase(String relation, String mode, String migration, int line, long durationMs, boolean overBudget) {
    }
}
