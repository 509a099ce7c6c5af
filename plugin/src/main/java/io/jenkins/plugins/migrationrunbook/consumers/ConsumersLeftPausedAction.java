package io.jenkins.plugins.migrationrunbook.consumers;

import hudson.model.Action;
import java.io.Serializable;

/**
 * Shown on a run whose body failed inside {@code withConsumersPaused}: the consumers are still paused on purpose
 * (forward-fix first, nothing consumes a half-migrated schema), and this says how to resume them.
 */
public final class ConsumersLeftPausedAction implements Action, Serializable {
    private static final long serialVersionUID = 1L;

    private final String controller;
    private final String stateDir;
    private final String reason;

    public ConsumersLeftPausedAction(String controller, String stateDir, String reason) {
        this.controller = controller;
        this.stateDir = stateDir;
        this.reason = reason;
    }

    public String getController() {
        return controller;
    }

    public String getStateDir() {
        return stateDir;
    }

    public String getReason() {
        return reason;
    }

    /** The two ways to resume, as shown in the log and on the run page. */
    public String getHowToResume() {
        return howToResume(controller, stateDir);
    }

    static String howToResume(String controller, String stateDir) {
        return "resume them with the resumeConsumers(controller: '" + controller + "', stateDir: '" + stateDir
                + "') step (for example by replaying this run's resume stage), or on the agent: runbook resume --state-dir "
                + stateDir;
    }

    @Override
    public String getIconFileName() {
        return "warning.png";
    }

    @Override
    public String getDisplayName() {
        return "Consumers left paused";
    }

    @Override
    public String getUrlName() {
        return "consumers-left-paused";
    }
}
