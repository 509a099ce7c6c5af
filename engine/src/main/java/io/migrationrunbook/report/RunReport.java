package io.migrationrunbook.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit record of one runbook run: every step with its status, time and details, the pause window, the
 * approvals and what a human must do next. Written as {@code report.json} and {@code report.html}; someone reading
 * it after an incident should need nothing else.
 */
@JsonPropertyOrder({"runId", "title", "status", "failure", "startedAt", "finishedAt", "durationMs", "pauseWindowMs", "pause",
        "steps", "approvals", "nextActions", "events", "lagSamples", "facts"})
public final class RunReport {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String RUNNING = "RUNNING";

    private final String runId;
    private final String title;
    private final Instant startedAt;
    private Instant finishedAt;
    private String status = RUNNING;
    private String failure;
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<Approval> approvals = new ArrayList<>();
    private final List<String> nextActions = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private Map<String, Object> events;
    private List<LagSample> lagSamples = new ArrayList<>();
    private Instant pauseRequestedAt;
    private Instant resumeVerifiedAt;

    public RunReport(String runId, String title, Instant startedAt) {
        this.runId = runId;
        this.title = title;
        this.startedAt = startedAt;
    }

    /** Total lag of the consumer groups at one moment: the drain chart of the report. */
    public record LagSample(Instant at, long totalLag) {
    }

    /** The pause window: pause requested to resume verified. */
    public record PauseWindow(Instant requestedAt, Instant resumeVerifiedAt, long durationMs, boolean stillPaused) {
    }

    public synchronized void add(StepRecord step) {
        steps.add(step);
    }

    public synchronized void addApproval(Approval approval) {
        approvals.add(approval);
    }

    public synchronized void addNextAction(String action) {
        nextActions.add(action);
    }

    public synchronized void putFact(String key, Object value) {
        facts.put(key, value);
    }

    public synchronized void setEvents(Map<String, Object> events) {
        this.events = events;
    }

    public synchronized void addLagSample(LagSample sample) {
        lagSamples.add(sample);
    }

    public synchronized void pauseRequested(Instant at) {
        if (pauseRequestedAt == null) {
            pauseRequestedAt = at;
        }
    }

    /** The pause failed before any controller was asked: there is no pause window and nothing for a human to resume. */
    public synchronized void pauseNotStarted() {
        pauseRequestedAt = null;
    }

    public synchronized void resumeVerified(Instant at) {
        resumeVerifiedAt = at;
    }

    /** Marks the run failed even when the failure happened between steps (the reason is kept for the report). */
    public synchronized void fail(String reason) {
        if (failure == null) {
            failure = reason == null ? "failed" : reason;
        }
    }

    public synchronized void finish(Instant at) {
        finishedAt = at;
        status = failure != null || steps.stream().anyMatch(s -> s.status() == StepStatus.FAILED) ? FAILED : SUCCEEDED;
    }

    /** Why the run failed (null when it did not). */
    public synchronized String getFailure() {
        return failure;
    }

    public String getRunId() {
        return runId;
    }

    public String getTitle() {
        return title;
    }

    public synchronized String getStatus() {
        return status;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public synchronized Instant getFinishedAt() {
        return finishedAt;
    }

    public synchronized Long getDurationMs() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis();
    }

    /**
     * Pause requested to resume verified, in milliseconds; 0 when no pause was needed. While consumers are still
     * paused (a failed run hands them to a human) it counts up to the end of the run.
     */
    public synchronized long getPauseWindowMs() {
        if (pauseRequestedAt == null) {
            return 0;
        }
        Instant end = resumeVerifiedAt != null ? resumeVerifiedAt : (finishedAt != null ? finishedAt : Instant.now());
        return Duration.between(pauseRequestedAt, end).toMillis();
    }

    public synchronized PauseWindow getPause() {
        if (pauseRequestedAt == null) {
            return null;
        }
        return new PauseWindow(pauseRequestedAt, resumeVerifiedAt, getPauseWindowMs(), resumeVerifiedAt == null);
    }

    public synchronized List<StepRecord> getSteps() {
        return List.copyOf(steps);
    }

    public synchronized List<Approval> getApprovals() {
        return List.copyOf(approvals);
    }

    public synchronized List<String> getNextActions() {
        return List.copyOf(nextActions);
    }

    public synchronized Map<String, Object> getEvents() {
        return events;
    }

    public synchronized List<LagSample> getLagSamples() {
        return List.copyOf(lagSamples);
    }

    public synchronized Map<String, Object> getFacts() {
        return new LinkedHashMap<>(facts);
    }

    @JsonIgnore
    public synchronized StepRecord step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).reduce((a, b) -> b).orElse(null);
    }
}
