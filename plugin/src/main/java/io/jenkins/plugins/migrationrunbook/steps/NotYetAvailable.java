package io.jenkins.plugins.migrationrunbook.steps;

import io.migrationrunbook.core.RunbookException;

/** For a step whose engine operation is not in this build yet: it fails before doing anything, and says so. */
public final class NotYetAvailable {
    private NotYetAvailable() {
    }

    public static RunbookException engine(String functionName, String engine) {
        return RunbookException.environment(functionName + " is not available in this build of the plugin yet: its engine ("
                + engine + ") has not landed. Nothing was done. Use the runbook command line for this step meanwhile.");
    }
}
