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
    private String requestedBy;

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

    /** Who asks (a run id, {@code runbook pause}): recorded in the state, so a later run can say whose pause it adopts. */
    public PauseConsumers requestedBy(String requestedBy) {
        this.requestedBy = requestedBy;
        return this;
    }

    public PauseResult execute() {
        requireStateDir();
        PauseState previous = PauseState.load(stateDir);
        if (previous != null && !previous.isResumed()) {
            throw RunbookException.configuration("Consumers are already paused from " + PauseState.file(stateDir) + " (status "
                    + previous.status() + " since " + previous.pauseRequestedAt() + by(previous) + "): resume them first with "
                    + "`runbook resume --state-dir " + stateDir + "`, or use another state directory. (`runbook run` with the "
                    + "same consumers takes a verified pause over instead: see docs/run-and-demo.md.)");
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
                    new LinkedHashMap<>(before), Map.of(), List.of(), requestedBy).withStatus(PauseState.PAUSING, "pause requested for " + groups)
                    .save(stateDir);
            progress.report("Pausing %d consumer group(s) %s through %d controller(s); state in %s", groups.size(), groups,
                    controllers.size(), PauseState.file(stateDir));

            for (ConsumerController c : controllers) {
                progress.report("  %s (%s): pause %s", c.name(), c.type(), c.groups());
                state = state.withController(state.controller(c.name()).withPauseRequested()).save(stateDir);
                PauseState[] current = {state};
                try {
                    c.pause(remembered -> current[0] = current[0].withController(current[0].controller(c.name())
                            .withReplicasAtPause(remembered)).save(stateDir));
                    state = current[0];
                } catch (RuntimeException e) {
                    state = current[0];
                    PauseState.ControllerRecord record = state.controller(c.name()).withError(e.getMessage());
                    if (c instanceof ManualController) {
                        // a person who did not confirm did nothing: do not ask them to undo it
                        record = new PauseState.ControllerRecord(record.name(), record.type(), record.groups(), false, false,
                                record.lastError(), record.replicasAtPause());
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
                outcome = verify(reader, controllers, groups, before, false);
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
                        verifiedAt, elapsed, outcome.groups, false, List.of(), null);
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
                    outcome.groups, true, resumeErrors, null);
        }
    }

    /**
     * Takes over the pause a previous run left in the state directory (a failed {@code runbook run} keeps the consumers
     * paused; its rerun continues with them paused instead of resuming and pausing again). Refused before any side
     * effect — nothing is asked of any controller either way — when the state is not a verified pause of the same
     * controllers and groups ({@link #adoptionRefusal}), or when Kafka shows the consumers are not paused any more: the
     * committed offsets moved since the pause's baseline (someone resumed them), the controller reports running, or the
     * offsets do not stay unchanged for the quiet window within the pause timeout. Adopted, the state keeps the first
     * pause's time and baseline (the lag check's target is the lag before the consumers were first held).
     *
     * @return passed with outcome ADOPTED; or not passed with outcome NOT_ADOPTED and what was seen (the state file
     *         is left as it was, and nothing is resumed: the consumers were not paused by this call)
     */
    public PauseResult adopt() {
        PauseState previous = checkAdoptable();
        Path file = PauseState.file(stateDir);
        List<ConsumerController> controllers = config.createControllers(gate);
        List<String> groups = config.groups();
        progress.report("Taking over the pause in %s (%s since %s%s): verifying from Kafka that %s are still paused", file,
                previous.status(), previous.pauseRequestedAt(), by(previous), groups);
        Instant started = Instant.now();
        try (Admin admin = config.kafka().openAdmin()) {
            OffsetsReader reader = new OffsetsReader(config.kafka(), admin);
            Outcome outcome = verify(reader, controllers, groups, previous.baseline(), true);
            Instant verifiedAt = Instant.now();
            Duration elapsed = Duration.between(started, verifiedAt);
            PauseResult.Adoption adoption = new PauseResult.Adoption(file.toString(), previous.status(), previous.pauseRequestedAt(),
                    previous.pauseVerifiedAt(), previous.pausedBy(), previous.baselineLag());
            if (!outcome.verified) {
                List<String> why = new ArrayList<>();
                for (GroupVerification g : outcome.groups) {
                    if (!g.verified()) {
                        why.add(g.group() + ": " + g.reason());
                    }
                }
                String reason = "the pause state " + file + " says " + groups + " are paused since " + previous.pauseRequestedAt()
                        + ", but Kafka shows they are not: " + String.join("; ", why) + ". " + whatToDo(previous);
                progress.report("Pause NOT taken over: %s", reason);
                return new PauseResult(false, "NOT_ADOPTED", reason, file.toString(), previous.pauseRequestedAt(), null, elapsed,
                        outcome.groups, false, List.of(), adoption);
            }
            previous.adoptedBy(requestedBy, config.source()).save(stateDir);
            progress.report("Pause taken over in %s: consumers paused since %s, baseline lag %s kept", Progress.format(elapsed),
                    previous.pauseRequestedAt(), previous.baselineLag());
            return new PauseResult(true, "ADOPTED", "consumers still paused since " + previous.pauseRequestedAt() + by(previous)
                    + " (" + file + "): committed offsets unchanged since that pause's baseline and for "
                    + Progress.format(config.verification().quietWindow()) + " now", file.toString(), previous.pauseRequestedAt(),
                    verifiedAt, elapsed, outcome.groups, false, List.of(), adoption);
        }
    }

    /**
     * The state-file half of {@link #adopt()}, without Kafka: the state in the state directory is a verified pause of
     * these controllers and groups. Lets a run refuse before its first side effect.
     *
     * @return the state to take over
     * @throws RunbookException CONFIGURATION naming the state file, why it cannot be taken over, and what to do
     */
    public PauseState checkAdoptable() {
        requireStateDir();
        PauseState previous = PauseState.load(stateDir);
        if (previous == null) {
            throw RunbookException.configuration("No pause to take over: there is no pause state (" + PauseState.FILE_NAME + ") in "
                    + stateDir + ". Point the state directory at the one the earlier run paused into, or pause the consumers "
                    + "afresh (runbook pause, pauseConsumers).");
        }
        String refusal = adoptionRefusal(previous, config);
        if (refusal != null) {
            throw RunbookException.configuration("The pause state " + PauseState.file(stateDir) + " cannot be taken over by this run: "
                    + refusal + ". " + whatToDo(previous));
        }
        return previous;
    }

    /**
     * Pure: why {@code state} cannot be taken over by a run pausing with {@code config}, or null when it can — a verified
     * pause (PAUSED, or RESUME_FAILED where no controller accepted the resume) of exactly the same controllers (name,
     * type) and groups.
     */
    static String adoptionRefusal(PauseState state, ConsumersConfig config) {
        String status = state.status();
        if (PauseState.RESUME_FAILED.equals(status)) {
            List<String> resumed = state.controllers().stream().filter(PauseState.ControllerRecord::resumeRequested)
                    .map(PauseState.ControllerRecord::name).toList();
            if (!resumed.isEmpty()) {
                return "a resume failed half-way (status RESUME_FAILED): " + resumed + " accepted the resume, so their consumers may run";
            }
        } else if (!PauseState.PAUSED.equals(status)) {
            return "it is not a verified pause (PAUSED) but status " + status + switch (status) {
                case PauseState.PAUSING -> " (a pause interrupted before it was verified: no baseline)";
                case PauseState.PAUSE_FAILED -> " (a pause that was not verified and was undone, best effort)";
                case PauseState.RESUMING -> " (a resume interrupted half-way)";
                case PauseState.RESUME_UNVERIFIED -> " (resumed, consumption not verified)";
                default -> "";
            };
        }
        if (state.pauseVerifiedAt() == null || state.baseline() == null || state.baseline().isEmpty()) {
            return "the pause was never verified, so there is no baseline to keep";
        }
        Map<String, String> recorded = new java.util.TreeMap<>();
        for (PauseState.ControllerRecord c : state.controllers()) {
            recorded.put(c.name(), c.type() + " " + new java.util.TreeSet<>(c.groups()));
        }
        Map<String, String> configured = new java.util.TreeMap<>();
        for (ControllerDefinition c : config.controllers()) {
            configured.put(c.name(), c.type() + " " + new java.util.TreeSet<>(c.groups()));
        }
        if (!recorded.equals(configured) || !new java.util.TreeSet<>(state.baseline().keySet()).equals(new java.util.TreeSet<>(config.groups()))) {
            return "it holds a pause of other consumers — paused: " + describe(recorded) + "; this run's consumers file: "
                    + describe(configured);
        }
        return null;
    }

    private static String describe(Map<String, String> controllers) {
        List<String> parts = new ArrayList<>();
        controllers.forEach((name, typeAndGroups) -> parts.add(name + " (" + typeAndGroups + ")"));
        return String.join(", ", parts);
    }

    private String whatToDo(PauseState state) {
        return "Resume those consumers with `runbook resume --state-dir " + stateDir + "` (it uses the state's own configuration "
                + "and verifies they consume again), or, if they already run again (resumed another way), remove "
                + PauseState.file(stateDir) + "; then run again.";
    }

    private static String by(PauseState state) {
        return state.pausedBy() == null ? "" : " by " + state.pausedBy();
    }

    private void requireStateDir() {
        if (stateDir == null) {
            throw RunbookException.configuration("No state directory: pass --state-dir DIR (the run's directory), where the pause "
                    + "state is kept for a later resume.");
        }
    }

    private record Outcome(boolean verified, Map<String, GroupSnapshot> last, List<GroupVerification> groups) {
    }

    /**
     * The quiet-window verification. {@code adopting}: the consumers should be paused already (a pause taken over from
     * a previous run), so the window starts at that pause's baseline and any committed offset that differs from it, or
     * a controller that reports RUNNING, fails at once instead of being waited out.
     */
    private Outcome verify(OffsetsReader reader, List<ConsumerController> controllers, List<String> groups,
                           Map<String, GroupSnapshot> before, boolean adopting) {
        ConsumersConfig.Verification v = config.verification();
        Instant deadline = Instant.now().plus(v.pauseTimeout());
        Map<String, GroupSnapshot> first = reader.read(groups);
        Map<String, GroupSnapshot> windowStart = new LinkedHashMap<>(adopting ? before : first);
        Map<String, Instant> quietSince = new LinkedHashMap<>();
        Map<String, String> lastMovement = new LinkedHashMap<>();
        first.forEach((g, s) -> quietSince.put(g, s.at()));
        boolean firstPoll = true;
        while (true) {
            Map<String, GroupSnapshot> current;
            if (adopting && firstPoll) {
                current = first; // compare with the baseline at once: a moved offset needs no waiting
            } else {
                Observation.sleep(v.pollInterval());
                current = reader.read(groups);
            }
            firstPoll = false;
            Map<String, ControllerStatus> statuses = Observation.statuses(controllers);
            boolean all = true;
            boolean contradicted = false;
            List<GroupVerification> reports = new ArrayList<>();
            for (String group : groups) {
                GroupSnapshot now = current.get(group);
                List<String> moved = Observation.movements(windowStart.get(group), now);
                if (adopting && !moved.isEmpty()) {
                    contradicted = true;
                    lastMovement.put(group, Observation.firstFew(moved));
                } else if (!moved.isEmpty()) {
                    windowStart.put(group, now);
                    quietSince.put(group, now.at());
                    lastMovement.put(group, Observation.firstFew(moved));
                }
                Duration quietFor = Duration.between(quietSince.get(group), now.at());
                boolean quiet = quietFor.compareTo(v.quietWindow()) >= 0;
                ConsumerController controller = Observation.controllerOf(controllers, group);
                ControllerStatus status = statuses.get(controller.name());
                boolean claimed = status.allowsPaused() || now.isEmpty();
                boolean verified = quiet && claimed && !(adopting && lastMovement.containsKey(group));
                contradicted |= adopting && status.state() == ControllerStatus.State.RUNNING && !now.isEmpty();
                all &= verified;
                String reason;
                if (verified) {
                    reason = "offsets unchanged for " + Progress.format(quietFor) + (now.isEmpty() ? ", group EMPTY"
                            : ", controller " + status.state());
                } else if (adopting && lastMovement.containsKey(group)) {
                    reason = "committed offsets moved since the pause's baseline (" + lastMovement.get(group)
                            + "): the consumers consumed after the pause — someone resumed them";
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
            if (contradicted || Instant.now().isAfter(deadline)) {
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
