package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.consumers.PauseConsumers;
import io.migrationrunbook.consumers.PauseResult;
import io.migrationrunbook.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code runbook pause}: pause the Kafka consumers through their controllers and prove it from the Kafka side. */
@Command(name = "pause", description = "Pause Kafka consumer groups through their controllers; verify with the AdminClient; "
        + "record the baseline in the state directory.")
public class PauseCommand extends EngineCommand {

    @Option(names = "--consumers", paramLabel = "FILE", required = true,
            description = "Consumers configuration (YAML): Kafka cluster, controllers, groups. See docs/consumers.md.")
    Path consumers;

    @Option(names = "--state-dir", paramLabel = "DIR", required = true,
            description = "The run's directory: the pause state is kept there for `runbook resume`.")
    Path stateDir;

    @Override
    protected Outcome run(Progress progress) {
        ConsumersConfig config = ConsumersConfig.read(consumers);
        PauseResult result = PauseConsumers.with(config).stateDir(stateDir).requestedBy("runbook pause")
                .humanGate(new TerminalHumanGate(System.in, spec.commandLine().getErr())).progress(progress).execute();
        String summary = (result.passed() ? "Paused: " : "Pause FAILED: ") + result.reason() + "\nState: " + result.stateFile()
                + ConsumerTables.verification(result.groups());
        return Outcome.of(result, result.passed(), summary);
    }
}
