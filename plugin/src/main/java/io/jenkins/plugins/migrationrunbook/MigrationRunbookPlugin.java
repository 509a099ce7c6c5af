package io.jenkins.plugins.migrationrunbook;

/**
 * The Migration Runbook Jenkins plugin: Pipeline steps over the runbook engine ({@code io.migrationrunbook}), grouped
 * by capability — {@code config} (what administrators configure), {@code agent} (running engine operations on the
 * agent), {@code database}, {@code consumers}, {@code smoke} and {@code freeze}.
 */
public final class MigrationRunbookPlugin {

    /** Step function names are part of the product: pipelines and the shared library call them. */
    public static final String[] STEP_NAMES = {"migrationPrecheck", "dbBackup", "flywayMigrate", "verifySchema",
        "pauseConsumers", "resumeConsumers", "checkConsumerLag", "smokeTestApi", "dbRestore", "freezeAutoDeploy",
        "unfreezeAutoDeploy", "withConsumersPaused", "withAutoDeployFrozen"};

    private MigrationRunbookPlugin() {
    }
}
