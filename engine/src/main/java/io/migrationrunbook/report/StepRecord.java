package io.migrationrunbook.report;

import java.time.Instant;

/**
 * One step of a run as the report shows it.
 *
 * @param name       the Jenkins step's name ({@code dbBackup}, {@code flywayMigrate}, ...)
 * @param status     PASSED, FAILED or SKIPPED
 * @param reason     why it was skipped or how it failed (null when it passed)
 * @param startedAt  when it started
 * @param durationMs how long it ran
 * @param details    the engine's result object for the step (backup facts, migrations applied, lag...)
 */
public record StepRecord(String name, StepStatus status, String reason, Instant startedAt, long durationMs, Object details) {

    public Instant finishedAt() {
        return startedAt.plusMillis(durationMs);
    }
}
