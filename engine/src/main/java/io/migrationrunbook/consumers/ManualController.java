package io.migrationrunbook.consumers;

import io.migrationrunbook.core.RunbookException;

import java.util.List;

/**
 * {@code type: manual}: a person pauses and resumes the consumers (scales a deployment, flips a switch) and confirms
 * through a {@link HumanGate}; the Kafka-side verification decides whether it worked.
 */
public final class ManualController implements ConsumerController {

    public record Definition(String name, List<String> groups, String pauseInstructions, String resumeInstructions)
            implements ControllerDefinition {
        @Override
        public String type() {
            return "manual";
        }

        @Override
        public ConsumerController create(HumanGate gate) {
            return new ManualController(this, gate);
        }
    }

    static Definition parse(ConfigNode node, String name, List<String> groups) {
        node.allowOnly("name", "type", "groups", "pauseInstructions", "resumeInstructions");
        return new Definition(name, groups,
                node.string("pauseInstructions", "Stop the consumers of " + groups + " (pause them, or scale them to zero)."),
                node.string("resumeInstructions", "Start the consumers of " + groups + " again."));
    }

    private final Definition definition;
    private final HumanGate gate;

    ManualController(Definition definition, HumanGate gate) {
        this.definition = definition;
        this.gate = gate;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String type() {
        return "manual";
    }

    @Override
    public List<String> groups() {
        return definition.groups();
    }

    @Override
    public void pause() {
        if (!gate.confirm("[" + name() + "] " + definition.pauseInstructions() + " Confirm when done.")) {
            throw RunbookException.checkFailed("The operator did not confirm the pause of " + definition.groups()
                    + " (controller '" + name() + "'): nothing is verified as paused.");
        }
    }

    @Override
    public void resume() {
        if (!gate.confirm("[" + name() + "] " + definition.resumeInstructions() + " Confirm when done.")) {
            throw RunbookException.checkFailed("The operator did not confirm the resume of " + definition.groups()
                    + " (controller '" + name() + "'): the consumers may still be stopped; run resume again when they are started.");
        }
    }

    @Override
    public ControllerStatus status() {
        return ControllerStatus.notReported("manual: the Kafka side decides");
    }
}
