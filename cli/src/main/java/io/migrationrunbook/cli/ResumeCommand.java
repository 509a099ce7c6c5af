package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.ResumeConsumers;
import io.migrationrunbook.consumers.ResumeResult;
import io.migrationrunbook.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code runbook resume}: resume what {@code runbook pause} paused, from its state alone, and verify consumption restarted. */
@Command(name = "resume", description = "Resume the consumers recorded in the pause state (after a crash or abort too) and "
        + "verify they consume again. Idempotent.")
public class ResumeCommand extends EngineCommand {

    @Option(names = "--state-dir", paramLabel = "DIR", required = true, description = "The directory `runbook pause` used.")
    Path stateDir;

    @Option(names = "--consumers", paramLabel = "FILE",
            description = "Use this configuration instead of the one recorded in the state (URLs or secret files changed).")
    Path consumers;

    @Override
    protected Outcome run(Progress progress) {
        ResumeConsumers resume = ResumeConsumers.from(stateDir);
        if (consumers != null) {
            resume.config(io.migrationrunbook.consumers.ConsumersConfig.read(consumers));
        }
        ResumeResult result = resume
                .humanGate(new TerminalHumanGate(System.in, spec.commandLine().getErr())).progress(progress).execute();
        String summary = (result.passed() ? "Resumed: " : "Resume NOT verified: ") + result.reason()
                + (result.pauseWindow() == null ? "" : "\nConsumers were held for " + Progress.format(result.pauseWindow()))
                + ConsumerTables.verification(result.groups());
        return Outcome.of(result, result.passed(), summary);
    }
}
