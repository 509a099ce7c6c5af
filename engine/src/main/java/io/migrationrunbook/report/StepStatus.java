package io.migrationrunbook.report;

/** Outcome of one runbook step. */
public enum StepStatus {
    PASSED, FAILED, SKIPPED
}
