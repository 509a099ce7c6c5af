package io.migrationrunbook.consumers;

import java.util.List;

/**
 * A validated controller entry of the configuration, secrets still as references. {@link #create(HumanGate)} reads
 * the secrets and builds the live controller; both happen before any side effect.
 */
public interface ControllerDefinition {

    String name();

    String type();

    List<String> groups();

    ConsumerController create(HumanGate gate);
}
