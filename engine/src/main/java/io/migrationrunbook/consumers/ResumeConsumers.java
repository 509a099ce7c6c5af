package io.migrationrunbook.consumers;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.OffsetsReader;
import io.migrationrunbook.kafka.PartitionOffsets;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code resumeConsumers} operation, driven by the pause state alone (it holds the configuration with secret
 * references), so it works from a new process after a crash, an abort or a restart. Asks every controller to
 * resume — all of them, even when one fails — then verifies from the Kafka side that consumption restarted: per
 * group, every partition that has messages past its pause-time committed offset advances; a group with nothing
 * to consume must be STABLE with members, or its controller must report running. Idempotent: a second resume of a
 * resumed state does nothing and passes.
 */
public final class ResumeConsumers {

    private final Path stateDir;
    private ConsumersConfig override;
    private HumanGate gate = HumanGate.refuseAll();
    private Progress progress = Progress.silent();

    private ResumeConsumers(Path stateDir) {
        this.stateDir = stateDir;
    }

    public static ResumeConsumers from(Path stateDir) {
        return new ResumeConsumers(stateDir);
    }

    /**
     * Resumes with this configuration instead of the one recorded in the state: for when the URLs or the secret
     * files changed since the pause. It must still control every group the state lists.
     */
    public ResumeConsumers config(ConsumersConfig current) {
        this.override = current;
        return this;
    }

    public ResumeConsumers humanGate(HumanGate gate) {
        this.gate = gate;
        return this;
    }

    public ResumeConsumers progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    public ResumeResult execute() {
        if (stateDir == null) {
            throw RunbookException.configuration("No state directory: pass --state-dir DIR, the directory `runbook pause` used.");
        }
        PauseState state = PauseState.load(stateDir);
        if (state == null) {
            throw RunbookException.configuration("Nothing to resume: there is no pause state (" + PauseState.FILE_NAME + ") in "
                    + stateDir + ". Pass the --state-dir that `runbook pause` used; if the consumers were paused another way, "
                    + "resume them the same way.");
        }
        String file = PauseState.file(stateDir).toString();
        if (state.isResumed()) {
            progress.report("Already resumed at %s (%s): nothing to do", state.resumeVerifiedAt(), file);
            return new ResumeResult(true, "ALREADY_RESUMED", "the consumers were already resumed at " + state.resumeVerifiedAt(), file,
                    state.resumeRequestedAt(), state.resumeVerifiedAt(), Duration.ZERO, pauseWindow(state), state.baselineLag(), List.of());
        }
        ConsumersConfig config = ConsumersConfig.parse(state.config());
        if (override != null) {
            List<String> missing = new ArrayList<>(config.groups());
            missing.removeAll(override.groups());
            if (!missing.isEmpty()) {
                throw RunbookException.configuration("The configuration given for the resume does not control " + missing
                        + ", which the pause state in " + file + " lists as paused: add them, or resume without it "
                        + "(the state's own configuration is used then).");
            }
            config = override;
        }
        List<ConsumerController> controllers = config.createControllers(gate);
        List<String> groups = config.groups();

        Instant requested = Instant.now();
        state = state.withResumeRequested(requested).withStatus(PauseState.RESUMING, "resume requested (state was " + state.status() + ")")
                .save(stateDir);
        progress.report("Resuming %s through %d controller(s)", groups, controllers.size());
        List<String> errors = new ArrayList<>();
        RunbookException.Kind kind = RunbookException.Kind.ENVIRONMENT;
        for (ConsumerController c : controllers) {
            progress.report("  %s (%s): resume %s", c.name(), c.type(), c.groups());
            try {
                c.restore(state.controller(c.name()).replicasAtPause());
                c.resume();
                state = state.withController(state.controller(c.name()).withResumeRequested()).save(stateDir);
            } catch (RuntimeException e) {
                errors.add(c.name() + ": " + e.getMessage());
                if (e instanceof RunbookException re) {
                    kind = re.kind();
                }
                state = state.withController(state.controller(c.name()).withError(e.getMessage())).save(stateDir);
            }
        }
        if (!errors.isEmpty()) {
            state.withStatus(PauseState.RESUME_FAILED, "resume failed for " + errors).save(stateDir);
            throw new RunbookException(kind, "Resume failed for " + String.join("; ", errors) + ". The state in " + file
                    + " still lists what is paused: fix the cause and run `runbook resume --state-dir " + stateDir + "` again.");
        }

        Map<String, GroupSnapshot> baseline = state.baseline() != null && !state.baseline().isEmpty() ? state.baseline() : state.beforePause();
        List<GroupVerification> reports;
        boolean verified;
        try (Admin admin = config.kafka().openAdmin()) {
            OffsetsReader reader = new OffsetsReader(config.kafka(), admin);
            Instant deadline = Instant.now().plus(config.verification().resumeTimeout());
            while (true) {
                Map<String, GroupSnapshot> current = reader.read(groups);
                Map<String, ControllerStatus> statuses = Observation.statuses(controllers);
                reports = new ArrayList<>();
                verified = true;
                for (String group : groups) {
                    GroupVerification report = verifyGroup(group, baseline.get(group), current.get(group),
                            Observation.controllerOf(controllers, group), statuses);
                    reports.add(report);
                    verified &= report.verified();
                }
                if (verified || Instant.now().isAfter(deadline)) {
                    break;
                }
                Observation.sleep(config.verification().pollInterval());
            }
        } catch (RuntimeException e) {
            state.withStatus(PauseState.RESUME_UNVERIFIED, "resume requested but not verified: " + e.getMessage()).save(stateDir);
            throw e;
        }
        Instant verifiedAt = Instant.now();
        Duration elapsed = Duration.between(requested, verifiedAt);
        if (verified) {
            state = state.withResumeVerified(verifiedAt).withStatus(PauseState.RESUMED, "resume verified").save(stateDir);
            Duration window = pauseWindow(state);
            progress.report("Resumed and verified in %s; consumers were held for %s", Progress.format(elapsed),
                    window == null ? "?" : Progress.format(window));
            return new ResumeResult(true, "RESUMED", "every group consumes again", file, requested, verifiedAt, elapsed, window,
                    state.baselineLag(), reports);
        }
        state.withStatus(PauseState.RESUME_UNVERIFIED, "resume not verified within " + config.verification().resumeTimeout()).save(stateDir);
        List<String> why = new ArrayList<>();
        for (GroupVerification g : reports) {
            if (!g.verified()) {
                why.add(g.group() + ": " + g.reason());
            }
        }
        String reason = "consumption did not restart within " + Progress.format(config.verification().resumeTimeout()) + ": "
                + String.join("; ", why) + ". Check the consumers, then run `runbook resume --state-dir " + stateDir + "` again.";
        progress.report("Resume NOT verified: %s", reason);
        return new ResumeResult(false, "NOT_VERIFIED", reason, file, requested, null, elapsed, null, state.baselineLag(), reports);
    }

    /** Pure: has this group restarted consuming, compared with its pause-time offsets? */
    static GroupVerification verifyGroup(String group, GroupSnapshot atPause, GroupSnapshot now, ConsumerController controller,
                                         Map<String, ControllerStatus> statuses) {
        ControllerStatus status = statuses.get(controller.name());
        Map<String, PartitionOffsets> base = atPause == null ? Map.of() : atPause.byKey();
        List<String> waiting = new ArrayList<>();
        int withWork = 0;
        for (PartitionOffsets p : now.partitions()) {
            PartitionOffsets b = base.get(p.key());
            long committedAtPause = b == null || b.committed() == null ? 0 : b.committed();
            if (p.logEnd() > committedAtPause) {
                withWork++;
                if (p.committed() == null || p.committed() <= committedAtPause) {
                    waiting.add(p.key() + " still at " + committedAtPause + " (log end " + p.logEnd() + ")");
                }
            }
        }
        boolean verified;
        String reason;
        if (withWork > 0) {
            verified = waiting.isEmpty();
            reason = verified ? "committed offsets advanced on all " + withWork + " partition(s) with messages to consume"
                    : "not consuming yet: " + Observation.firstFew(waiting);
        } else {
            verified = now.isStableWithMembers() || status.state() == ControllerStatus.State.RUNNING;
            reason = verified ? "nothing to consume; " + (now.isStableWithMembers() ? "group STABLE with " + now.members() + " member(s)"
                    : "controller reports running")
                    : "nothing to consume and no sign of life: group " + now.state() + " with " + now.members()
                    + " member(s), controller " + status.state();
        }
        return new GroupVerification(group, controller.name(), status.state().name(), status.detail(), now.state(), now.members(),
                verified, reason, now.totalLag(), Observation.partitions(atPause, now));
    }

    private static Duration pauseWindow(PauseState state) {
        if (state.pauseRequestedAt() == null || state.resumeVerifiedAt() == null) {
            return null;
        }
        return Duration.between(state.pauseRequestedAt(), state.resumeVerifiedAt());
    }
}
