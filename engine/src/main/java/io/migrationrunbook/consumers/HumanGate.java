package io.migrationrunbook.consumers;

/**
 * A person asked to do something the runbook cannot do itself (a manual controller): the CLI prompts on the
 * terminal, Jenkins shows an input step. Returns true when the person confirms it is done.
 */
@FunctionalInterface
public interface HumanGate {

    boolean confirm(String request);

    /** For non-interactive runs: every request is refused, so a manual controller fails before pausing anything. */
    static HumanGate refuseAll() {
        return request -> false;
    }
}
