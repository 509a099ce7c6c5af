package io.migrationrunbook.lag;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.KafkaCluster;
import io.migrationrunbook.kafka.OffsetsReader;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code checkConsumerLag} operation: samples each group's offsets every {@code interval}, keeps a sliding window
 * of {@code samples} snapshots and evaluates it with {@link LagEvaluator} until every group is DRAINED, one fails
 * for good (REWIND, deadline out of reach) or the deadline passes.
 *
 * <pre>{@code
 * LagCheckResult result = CheckConsumerLag.on(cluster)
 *         .group("persistence-service", baselineLag)   // or .maxLag(500)
 *         .samples(5).interval(Duration.ofSeconds(1)).deadline(Duration.ofMinutes(5))
 *         .execute();
 * }</pre>
 */
public final class CheckConsumerLag {

    private final KafkaCluster cluster;
    private final Map<String, Long> baselines = new LinkedHashMap<>();
    private final Set<String> groups = new LinkedHashSet<>();
    private Long maxLag;
    private int samples = 5;
    private Duration interval = Duration.ofSeconds(1);
    private Duration deadline = Duration.ofMinutes(5);
    private Progress progress = Progress.silent();
    private java.util.function.BiConsumer<Instant, Long> sampleListener = (at, lag) -> { };

    private CheckConsumerLag(KafkaCluster cluster) {
        this.cluster = cluster;
    }

    public static CheckConsumerLag on(KafkaCluster cluster) {
        return new CheckConsumerLag(cluster);
    }

    /** A group to watch, with no baseline: needs {@link #maxLag(Long)}. */
    public CheckConsumerLag group(String group) {
        groups.add(group);
        return this;
    }

    /** A group to watch and its total lag at pause time (the baseline to get back under). */
    public CheckConsumerLag group(String group, long baselineLag) {
        groups.add(group);
        baselines.put(group, baselineLag);
        return this;
    }

    /** A fixed total-lag threshold per group; when set it replaces the baselines. */
    public CheckConsumerLag maxLag(Long maxLag) {
        this.maxLag = maxLag;
        return this;
    }

    public CheckConsumerLag samples(int samples) {
        this.samples = samples;
        return this;
    }

    public CheckConsumerLag interval(Duration interval) {
        this.interval = interval;
        return this;
    }

    public CheckConsumerLag deadline(Duration deadline) {
        this.deadline = deadline;
        return this;
    }

    public CheckConsumerLag progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /**
     * Fails on settings that can never work (samples, interval, deadline, maxLag): a caller that runs the check only
     * after changing something (runbook run, after the migration) calls this first, before it changes anything.
     */
    public CheckConsumerLag checkSettings() {
        if (samples < 2) {
            throw RunbookException.configuration("samples must be at least 2 (a window needs a start and an end), got " + samples + ".");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw RunbookException.configuration("interval must be positive, got " + interval + ".");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw RunbookException.configuration("deadline must be positive, got " + deadline + ".");
        }
        if (maxLag != null && maxLag < 0) {
            throw RunbookException.configuration("maxLag must be 0 or more, got " + maxLag + ".");
        }
        return this;
    }

    private Map<String, Long> targets() {
        if (groups.isEmpty()) {
            throw RunbookException.configuration("No consumer group to check: name groups in the configuration or with --group.");
        }
        checkSettings();
        Map<String, Long> targets = new LinkedHashMap<>();
        for (String group : groups) {
            Long target = maxLag != null ? maxLag : baselines.get(group);
            if (target == null) {
                throw RunbookException.configuration("No target lag for group '" + group + "': give the pause state (--state-dir, "
                        + "which holds the pre-pause baseline) or a threshold (--max-lag N).");
            }
            targets.put(group, target);
        }
        return targets;
    }

    /** Told the total lag of the watched groups at every sample: the run report's drain chart. */
    public CheckConsumerLag onSample(java.util.function.BiConsumer<Instant, Long> listener) {
        this.sampleListener = listener;
        return this;
    }

    public LagCheckResult execute() {
        Map<String, Long> targets = targets();
        Instant started = Instant.now();
        Instant deadlineAt = started.plus(deadline);
        try (Admin admin = cluster.openAdmin()) {
            OffsetsReader reader = new OffsetsReader(cluster, admin);
            Map<String, Deque<GroupSnapshot>> windows = new LinkedHashMap<>();
            Map<String, GroupLagEvaluation> decided = new LinkedHashMap<>();
            Map<String, GroupLagEvaluation> latest = new LinkedHashMap<>();
            int taken = 0;
            progress.report("Watching lag of %s: %d samples every %s, deadline %s", targets.keySet(), samples,
                    Progress.format(interval), Progress.format(deadline));
            while (true) {
                List<String> open = new ArrayList<>();
                for (String group : targets.keySet()) {
                    if (!decided.containsKey(group)) {
                        open.add(group);
                    }
                }
                Map<String, GroupSnapshot> snapshots = reader.read(open);
                taken++;
                sampleListener.accept(Instant.now(), snapshots.values().stream().mapToLong(GroupSnapshot::totalLag).sum());
                for (String group : open) {
                    Deque<GroupSnapshot> window = windows.computeIfAbsent(group, g -> new ArrayDeque<>());
                    window.addLast(snapshots.get(group));
                    if (window.size() > samples) {
                        window.removeFirst();
                    }
                    if (window.size() < samples) {
                        continue;
                    }
                    GroupLagEvaluation evaluation = LagEvaluator.evaluate(List.copyOf(window), targets.get(group), deadlineAt);
                    latest.put(group, evaluation);
                    progress.report("  %s: lag %d (target %d), %s, %s: %s", group, evaluation.totalLag(), evaluation.targetLag(),
                            evaluation.status(), evaluation.verdict(), evaluation.reason());
                    if (evaluation.drained() || evaluation.verdict().isFinalFailure()) {
                        decided.put(group, evaluation);
                    }
                }
                for (GroupLagEvaluation evaluation : decided.values()) {
                    if (evaluation.verdict().isFinalFailure()) {
                        return result(false, evaluation.verdict().name(), evaluation.group() + ": " + evaluation.reason(),
                                started, deadlineAt, taken, targets, decided, latest);
                    }
                }
                if (decided.size() == targets.size()) {
                    return result(true, "DRAINED", "every group is back under its target lag", started, deadlineAt, taken,
                            targets, decided, latest);
                }
                Instant next = Instant.now().plus(interval);
                if (next.isAfter(deadlineAt)) {
                    List<String> late = new ArrayList<>();
                    for (String group : targets.keySet()) {
                        if (!decided.containsKey(group)) {
                            GroupLagEvaluation e = latest.get(group);
                            late.add(group + " (" + (e == null ? "not enough samples yet" : e.reason()) + ")");
                        }
                    }
                    return result(false, "DEADLINE_PASSED", "lag not back under the target before the deadline: " + String.join("; ", late),
                            started, deadlineAt, taken, targets, decided, latest);
                }
                sleep(interval);
            }
        }
    }

    private LagCheckResult result(boolean passed, String outcome, String reason, Instant started, Instant deadlineAt, int taken,
                                  Map<String, Long> targets, Map<String, GroupLagEvaluation> decided,
                                  Map<String, GroupLagEvaluation> latest) {
        List<GroupLagEvaluation> groups = new ArrayList<>();
        for (String group : targets.keySet()) {
            GroupLagEvaluation e = decided.getOrDefault(group, latest.get(group));
            if (e != null) {
                groups.add(e);
            }
        }
        progress.report("Lag check %s after %s: %s", passed ? "passed" : "FAILED", Progress.format(Duration.between(started, Instant.now())), reason);
        return new LagCheckResult(passed, outcome, reason, started, Duration.between(started, Instant.now()), deadlineAt, taken,
                samples, interval, groups);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted while watching consumer lag.", e);
        }
    }
}
