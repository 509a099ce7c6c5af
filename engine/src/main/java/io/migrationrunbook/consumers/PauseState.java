package io.migrationrunbook.consumers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.AtomicFile;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.GroupSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was paused, persisted in the run's directory ({@value #FILE_NAME}) before any controller is called and after
 * every step, so a later {@code resume} — after a crash, an abort, a restart — knows exactly what to resume and the
 * baseline to drain back to. Holds the configuration with secret references only, never secret values.
 *
 * @param status      PAUSING, PAUSED, PAUSE_FAILED, RESUMING, RESUMED, RESUME_FAILED or RESUME_UNVERIFIED
 * @param config      the consumers configuration as given (secret references only)
 * @param controllers per controller: what was asked of it and the last error
 * @param beforePause each group as seen just before the controllers were called
 * @param baseline    each group at verified pause: committed offset, log end and lag per partition
 * @param events      what happened, in order
 * @param pausedBy    who asked for the pause: the run id of {@code runbook run}, {@code runbook pause}, or null when not
 *                    recorded (states written before this field existed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PauseState(int version, String status, JsonNode config, Instant pauseRequestedAt, Instant pauseVerifiedAt,
                         Instant resumeRequestedAt, Instant resumeVerifiedAt, List<ControllerRecord> controllers,
                         Map<String, GroupSnapshot> beforePause, Map<String, GroupSnapshot> baseline, List<Event> events,
                         String pausedBy) {

    public static final String FILE_NAME = "consumers-state.json";

    public static final String PAUSING = "PAUSING";
    public static final String PAUSED = "PAUSED";
    public static final String PAUSE_FAILED = "PAUSE_FAILED";
    public static final String RESUMING = "RESUMING";
    public static final String RESUMED = "RESUMED";
    public static final String RESUME_FAILED = "RESUME_FAILED";
    public static final String RESUME_UNVERIFIED = "RESUME_UNVERIFIED";

    /**
     * One controller: what was asked of it.
     *
     * @param replicasAtPause what the controller read at pause time and a resume restores (a {@code kubernetes} workload's
     *                        replica count); null for the other types
     */
    public record ControllerRecord(String name, String type, List<String> groups, boolean pauseRequested, boolean resumeRequested,
                                   String lastError, Integer replicasAtPause) {
        public ControllerRecord(String name, String type, List<String> groups, boolean pauseRequested, boolean resumeRequested,
                                String lastError) {
            this(name, type, groups, pauseRequested, resumeRequested, lastError, null);
        }

        ControllerRecord withPauseRequested() {
            return new ControllerRecord(name, type, groups, true, resumeRequested, lastError, replicasAtPause);
        }

        ControllerRecord withResumeRequested() {
            return new ControllerRecord(name, type, groups, pauseRequested, true, null, replicasAtPause);
        }

        ControllerRecord withError(String error) {
            return new ControllerRecord(name, type, groups, pauseRequested, resumeRequested, error, replicasAtPause);
        }

        ControllerRecord withReplicasAtPause(int replicas) {
            return new ControllerRecord(name, type, groups, pauseRequested, resumeRequested, lastError, replicas);
        }
    }

    public record Event(Instant at, String what) {
    }

    public static Path file(Path stateDir) {
        return stateDir.resolve(FILE_NAME);
    }

    /** The state in {@code stateDir}, or null when nothing was ever paused from there. */
    public static PauseState load(Path stateDir) {
        Path file = file(stateDir);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Json.mapper().readValue(file.toFile(), PauseState.class);
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read the pause state " + file + ": " + e.getMessage().split("\n")[0]
                    + ". It is written by `runbook pause`; restore it or resume the consumers by hand.");
        }
    }

    /** Writes atomically: a crash while writing leaves the previous state, never half a file. */
    public PauseState save(Path stateDir) {
        try {
            AtomicFile.write(file(stateDir), Json.writePretty(this));
            return this;
        } catch (IOException e) {
            throw RunbookException.environment("Cannot write the pause state in " + stateDir + ": " + e.getMessage()
                    + ". The state directory must be writable: it is how a later resume knows what was paused.", e);
        }
    }

    @JsonIgnore
    public boolean isResumed() {
        return RESUMED.equals(status);
    }

    PauseState withStatus(String newStatus, String event) {
        List<Event> more = new ArrayList<>(events);
        more.add(new Event(Instant.now(), event));
        return new PauseState(version, newStatus, config, pauseRequestedAt, pauseVerifiedAt, resumeRequestedAt, resumeVerifiedAt,
                controllers, beforePause, baseline, more, pausedBy);
    }

    PauseState withController(ControllerRecord record) {
        List<ControllerRecord> updated = new ArrayList<>();
        for (ControllerRecord c : controllers) {
            updated.add(c.name().equals(record.name()) ? record : c);
        }
        return new PauseState(version, status, config, pauseRequestedAt, pauseVerifiedAt, resumeRequestedAt, resumeVerifiedAt,
                updated, beforePause, baseline, events, pausedBy);
    }

    ControllerRecord controller(String name) {
        return controllers.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    PauseState withPauseVerified(Instant at, Map<String, GroupSnapshot> baseline) {
        return new PauseState(version, status, config, pauseRequestedAt, at, resumeRequestedAt, resumeVerifiedAt, controllers,
                beforePause, new LinkedHashMap<>(baseline), events, pausedBy);
    }

    PauseState withResumeRequested(Instant at) {
        return new PauseState(version, status, config, pauseRequestedAt, pauseVerifiedAt, at, resumeVerifiedAt, controllers,
                beforePause, baseline, events, pausedBy);
    }

    PauseState withResumeVerified(Instant at) {
        return new PauseState(version, status, config, pauseRequestedAt, pauseVerifiedAt, resumeRequestedAt, at, controllers,
                beforePause, baseline, events, pausedBy);
    }

    /**
     * A later run took this pause over: the consumers stay paused, and the pause time and the baseline stay the first
     * pause's (the lag check compares with the lag before the consumers were first held). The configuration becomes the
     * adopting run's (same controllers and groups, checked by the caller; URLs or secret files may have changed), so a
     * later {@code runbook resume} uses what is current.
     */
    PauseState adoptedBy(String run, JsonNode currentConfig) {
        List<Event> more = new ArrayList<>(events);
        more.add(new Event(Instant.now(), "pause adopted by " + (run == null ? "a later run" : run) + " (state was " + status
                + "): consumers kept paused, baseline of the pause verified at " + pauseVerifiedAt + " kept"));
        List<ControllerRecord> kept = new ArrayList<>();
        for (ControllerRecord c : controllers) {
            kept.add(new ControllerRecord(c.name(), c.type(), c.groups(), true, false, c.lastError(), c.replicasAtPause()));
        }
        return new PauseState(version, PAUSED, currentConfig, pauseRequestedAt, pauseVerifiedAt, null, null, kept, beforePause,
                baseline, more, pausedBy);
    }

    /** The total lag per group at pause time: the targets of the lag check. */
    public Map<String, Long> baselineLag() {
        Map<String, Long> lag = new LinkedHashMap<>();
        Map<String, GroupSnapshot> source = baseline != null && !baseline.isEmpty() ? baseline : beforePause;
        if (source != null) {
            source.forEach((group, snapshot) -> lag.put(group, snapshot.totalLag()));
        }
        return lag;
    }
}
