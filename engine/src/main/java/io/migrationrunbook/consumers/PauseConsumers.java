package io.migrationrunbook.consumers;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.OffsetsReader;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pauseConsumers} operation. In order, each step only after the previous one succeeded:
 * <ol>
 *   <li>validate: the configuration, the secrets, the state directory (refuses while a previous pause is not resumed),
 *       Kafka reachable and every group known — before any side effect;</li>
 *   <li>persist the state (PAUSING, groups as seen now), then ask each controller to pause;</li>
 *   <li>verify from the Kafka side: per group, the controller does not contradict the pause (or the group is EMPTY)
 *       and the committed offsets stay unchanged for the quiet window, while log-end offsets may grow;</li>
 *   <li>record the baseline (committed, log end, lag per partition) and mark the state PAUSED.</li>
 * </ol>
 * When the verification times out, or a controller fails, the controllers already asked are resumed (best effort)
 * and the result says what was seen. A failure half-way thus leaves the consumers running, as before.
 *
 * <pre>{@code
 * PauseResult result = PauseConsumers.with(ConsumersConfig.read(file)).stateDir(runDir).execute();
 * }</pre>
 */
public final class PauseConsumers {

    private final ConsumersConfig config;
    private Path stateDir;
    private HumanGate gate = HumanGate.refuseAll();
    private Progress progress = Progress.silent();

    private PauseConsumers(ConsumersConfig config) {
        this.config = config;
    }

    public static PauseConsumers with(ConsumersConfig config) {
        return new PauseConsumers(config);
    }

    public PauseConsumers stateDir(Path stateDir) {
        this.stateDir = stateDir;
        return this;
    }

    public PauseConsumers humanGate(HumanGate gate) {
        this.gate = gate;
        return this;
    }

    public PauseConsumers progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    public PauseResult execute() {
        if (stateDir == null) {
            throw RunbookException.configuration("No state directory: pass --state-dir DIR (the run's directory), where the pause "
                    + "state is kept for a later resume.");
        }
        PauseState previous = PauseState.load(stateDir);
        if (previous != null && !previous.isResumed()) {
            throw RunbookException.configuration("Consumers are already paused from " + PauseState.file(stateDir) + " (status "
                    + previous.status() + " since " + previous.pauseRequestedAt() + "): resume them first with "
                    + "`runbook resume --state-dir " + stateDir + "`, or use another state directory.");
        }
        List<ConsumerController> controllers = config.createControllers(gate);
        List<String> groups = config.groups();

        try (Admin admin = config.kafka().openAdmin()) {
            OffsetsReader reader = new OffsetsReader(config.kafka(), admin);
            Map<String, GroupSnapshot> before = reader.read(groups);
            Instant requested = Instant.now();
            List<PauseState.ControllerRecord> records = new ArrayList<>();
            for (ConsumerController c : controllers) {
                records.add(new PauseState.ControllerRecord(c.name(), c.type(), c.groups(), false, false, null));
            }
            PauseState state = new PauseState(1, PauseState.PAUSING, config.source(), requested, null, null, null, records,
                    new LinkedHashMap<>(before), Map.of(), List.of()).withStatus(PauseState.PAUSING, "pause requested for " + groups)
                    .save(stateDir);
            progress.report("Pausing %d consumer group(s) %s through %d controller(s); state in %s", groups.size(), groups,
                    controllers.size(), PauseState.file(stateDir));

            for (ConsumerController c : controllers) {
                progress.report("  %s (%s): pause %s", c.name(), c.type(), c.groups());
                state = state.withController(state.controller(c.name()).withPauseRequested()).save(stateDir);
                try {
                    c.pause();
                } catch (RuntimeException e) {
                    PauseState.ControllerRecord record = state.controller(c.name()).withError(e.getMessage());
                    if (c instanceof ManualController) {
                        // a person who did not confirm did nothing: do not ask them to undo it
                        record = new PauseState.ControllerRecord(record.name(), record.type(), record.groups(), false, false,
                                record.lastError());
                    }
                    state = state.withController(record);
                    List<String> resumeErrors = new ArrayList<>();
                    state = resumeAfterFailure(controllers, state, resumeErrors, "controller " + c.name() + " failed to pause");
                    String summary = " The controllers already asked were resumed" + (resumeErrors.isEmpty() ? "."
                            : " except: " + String.join("; ", resumeErrors) + " (run `runbook resume --state-dir " + stateDir + "`).");
                    RunbookException.Kind kind = e instanceof RunbookException re ? re.kind() : RunbookException.Kind.ENVIRONMENT;
                    throw new RunbookException(kind, e.getMessage() + summary, e);
                }
            }

            Outcome outcome;
            try {
                outcome = verify(reader, controllers, groups, before);
            } catch (RuntimeException e) {
                // e.g. the broker went away: the pause cannot be proven, so it is undone rather than left unverified
                List<String> resumeErrors = new ArrayList<>();
                resumeAfterFailure(controllers, state, resumeErrors, "verification failed: " + e.getMessage());
                String summary = " Pause verification failed, so the controllers already asked were resumed (best effort)"
                        + (resumeErrors.isEmpty() ? "; " : " except: " + String.join("; ", resumeErrors) + "; run `runbook resume --state-dir "
                        + stateDir + "` once the cause is fixed; ") + "the state is in " + PauseState.file(stateDir) + ".";
                RunbookException.Kind kind = e instanceof RunbookException re ? re.kind() : RunbookException.Kind.ENVIRONMENT;
                throw new RunbookException(kind, e.getMessage() + summary, e);
            }
            Instant verifiedAt = Instant.now();
            Duration elapsed = Duration.between(requested, verifiedAt);
            if (outcome.verified) {
                state = state.withPauseVerified(verifiedAt, outcome.last).withStatus(PauseState.PAUSED, "pause verified").save(stateDir);
                progress.report("Paused and verified in %s; baseline lag %s", Progress.format(elapsed), state.baselineLag());
                return new PauseResult(true, "PAUSED", "every group is paused: offsets unchanged for "
                        + Progress.format(config.verification().quietWindow()), PauseState.file(stateDir).toString(), requested,
                        verifiedAt, elapsed, outcome.groups, false, List.of());
            }
            List<String> resumeErrors = new ArrayList<>();
            resumeAfterFailure(controllers, state, resumeErrors, "pause not verified within " + Progress.format(config.verification().pauseTimeout()));
            List<String> why = new ArrayList<>();
            for (GroupVerification g : outcome.groups) {
                if (!g.verified()) {
                    why.add(g.group() + ": " + g.reason());
                }
            }
            String reason = "pause not verified within " + Progress.format(config.verification().pauseTimeout()) + ": "
                    + String.join("; ", why) + (resumeErrors.isEmpty() ? ". Consumers resumed (best effort)."
                    : ". Resume failed for: " + String.join("; ", resumeErrors) + " — run `runbook resume --state-dir " + stateDir + "`.");
            progress.report("Pause FAILED: %s", reason);
            return new PauseResult(false, "NOT_VERIFIED", reason, PauseState.file(stateDir).toString(), requested, null, elapsed,
                    outcome.groups, true, resumeErrors);
        }
    }

    private record Outcome(boolean verified, Map<String, GroupSnapshot> last, List<GroupVerification> groups) {
    }

    private Outcome verify(OffsetsReader reader, List<ConsumerController> controllers, List<String> groups,
                           Map<String, GroupSnapshot> before) {
        ConsumersConfig.Verification v = config.verification();
        Instant deadline = Instant.now().plus(v.pauseTimeout());
        Map<String, GroupSnapshot> windowStart = new LinkedHashMap<>(reader.read(groups));
        Map<String, Instant> quietSince = new LinkedHashMap<>();
        Map<String, String> lastMovement = new LinkedHashMap<>();
        windowStart.forEach((g, s) -> quietSince.put(g, s.at()));
        while (true) {
            Observation.sleep(v.pollInterval());
            Map<String, GroupSnapshot> current = reader.read(groups);
            Map<String, ControllerStatus> statuses = Observation.statuses(controllers);
            boolean all = true;
            List<GroupVerification> reports = new ArrayList<>();
            for (String group : groups) {
                GroupSnapshot now = current.get(group);
                List<String> moved = Observation.movements(windowStart.get(group), now);
                if (!moved.isEmpty()) {
                    windowStart.put(group, now);
                    quietSince.put(group, now.at());
                    lastMovement.put(group, Observation.firstFew(moved));
                }
                Duration quietFor = Duration.between(quietSince.get(group), now.at());
                boolean quiet = quietFor.compareTo(v.quietWindow()) >= 0;
                ConsumerController controller = Observation.controllerOf(controllers, group);
                ControllerStatus status = statuses.get(controller.name());
                boolean claimed = status.allowsPaused() || now.isEmpty();
                boolean verified = quiet && claimed;
                all &= verified;
                String reason;
                if (verified) {
                    reason = "offsets unchanged for " + Progress.format(quietFor) + (now.isEmpty() ? ", group EMPTY"
                            : ", controller " + status.state());
                } else if (!claimed) {
                    reason = "controller '" + controller.name() + "' reports " + status.state() + " (" + status.detail() + ")"
                            + (quiet ? "" : " and committed offsets still move: " + lastMovement.getOrDefault(group, ""));
                } else {
                    reason = "committed offsets still move: " + lastMovement.getOrDefault(group, "") + "; quiet for "
                            + Progress.format(quietFor) + " of " + Progress.format(v.quietWindow()) + " needed";
                }
                reports.add(new GroupVerification(group, controller.name(), status.state().name(), status.detail(), now.state(),
                        now.members(), verified, reason, now.totalLag(), Observation.partitions(before.get(group), now)));
            }
            if (all) {
                return new Outcome(true, current, reports);
            }
            if (Instant.now().isAfter(deadline)) {
                return new Outcome(false, current, reports);
            }
        }
    }

    /** Resumes every controller that was asked to pause; collects failures instead of stopping at the first. */
    private PauseState resumeAfterFailure(List<ConsumerController> controllers, PauseState state, List<String> errors, String why) {
        progress.report("Resuming the consumers (best effort): %s", why);
        for (ConsumerController c : controllers) {
            if (!state.controller(c.name()).pauseRequested()) {
                continue;
            }
            try {
                c.resume();
                state = state.withController(state.controller(c.name()).withResumeRequested());
            } catch (RuntimeException e) {
                errors.add(c.name() + ": " + e.getMessage());
                state = state.withController(state.controller(c.name()).withError(e.getMessage()));
            }
        }
        return state.withStatus(PauseState.PAUSE_FAILED, why + (errors.isEmpty() ? "; resumed" : "; resume failed for " + errors))
                .save(stateDir);
    }
}
