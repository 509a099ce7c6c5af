package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.consumers.PauseState;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.lag.CheckConsumerLag;
import io.migrationrunbook.lag.LagCheckResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code runbook lag}: watch consumer lag drain back under the pre-pause baseline (or a threshold) before a deadline. */
@Command(name = "lag", description = "Sample consumer group offsets and pass when lag is back under the pre-pause baseline "
        + "(from --state-dir) or --max-lag, falling with offsets advancing; fails early when the deadline cannot be met.")
public class LagCommand extends EngineCommand {

    @Option(names = "--consumers", paramLabel = "FILE", description = "Consumers configuration (YAML); default: the one in the pause state.")
    Path consumers;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The directory `runbook pause` used: gives the baseline lag per group.")
    Path stateDir;

    @Option(names = "--group", paramLabel = "GROUP", description = "Check only these groups (repeatable); default: every configured group.")
    List<String> groups;

    @Option(names = "--max-lag", paramLabel = "N", description = "Pass when each group's total lag is at most N (instead of the baseline).")
    Long maxLag;

    @Option(names = "--samples", paramLabel = "N", description = "Samples per evaluated window (default: lag.samples, 5).")
    Integer samples;

    @Option(names = "--interval", paramLabel = "DURATION", description = "Time between samples (default: lag.interval, 1s).")
    Duration interval;

    @Option(names = "--deadline", paramLabel = "DURATION", description = "Give up after this long (default: lag.deadline, 5m).")
    Duration deadline;

    @Override
    protected Outcome run(Progress progress) {
        if (consumers == null && stateDir == null) {
            throw RunbookException.configuration("Name the consumers: pass --state-dir DIR (after `runbook pause`) or --consumers FILE.");
        }
        PauseState state = null;
        if (stateDir != null) {
            state = PauseState.load(stateDir);
            if (state == null) {
                throw RunbookException.configuration("No pause state (" + PauseState.FILE_NAME + ") in " + stateDir
                        + ": pass the --state-dir `runbook pause` used, or --consumers FILE with --max-lag N.");
            }
        }
        ConsumersConfig config = consumers != null ? ConsumersConfig.read(consumers) : ConsumersConfig.parse(state.config());
        List<String> chosen = groups == null || groups.isEmpty() ? config.groups() : groups;
        Long threshold = maxLag != null ? maxLag : config.lag().maxLag();
        Map<String, Long> baselines = state == null ? Map.of() : state.baselineLag();
        CheckConsumerLag check = CheckConsumerLag.on(config.kafka()).maxLag(threshold)
                .samples(samples != null ? samples : config.lag().samples())
                .interval(interval != null ? interval : config.lag().interval())
                .deadline(deadline != null ? deadline : config.lag().deadline())
                .progress(progress);
        for (String group : chosen) {
            Long baseline = baselines.get(group);
            if (baseline != null) {
                check.group(group, baseline);
            } else {
                check.group(group);
            }
        }
        LagCheckResult result = check.execute();
        String summary = (result.passed() ? "Lag check passed: " : "Lag check FAILED (" + result.outcome() + "): ") + result.reason()
                + ConsumerTables.lag(result.groups());
        return Outcome.of(result, result.passed(), summary);
    }
}
