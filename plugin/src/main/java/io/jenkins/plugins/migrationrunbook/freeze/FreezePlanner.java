package io.jenkins.plugins.migrationrunbook.freeze;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/** The freeze's decisions, free of Jenkins types: which jobs to disable, and later which to re-enable. */
public final class FreezePlanner {

    private FreezePlanner() {
    }

    /** Plans a freeze with no other freeze holding any job (a controller where no other run froze anything). */
    public static FreezePlan plan(Collection<String> patterns, Collection<JobState> jobs) {
        return plan(patterns, jobs, FreezeHolds.empty(), h -> true);
    }

    /**
     * Plans a freeze of the jobs matching {@code patterns}. Refused (nothing is disabled) when a pattern matches no
     * job, or a matched enabled job cannot be disabled or is not configurable by the build: a partial freeze would
     * let an auto-deploy run during the migration. A matched disabled job that another run's freeze holds is held
     * jointly ({@code joined}); one held only by freezes whose run has ended ({@code live} says no) is taken over, so
     * this freeze re-enables it; one no freeze holds was disabled by someone and stays as it is.
     */
    public static FreezePlan plan(Collection<String> patterns, Collection<JobState> jobs, FreezeHolds holds,
            Predicate<FreezeHolds.Holder> live) {
        List<String> problems = new ArrayList<>();
        List<JobPattern> compiled = new ArrayList<>();
        Set<String> distinct = new LinkedHashSet<>();
        for (String p : patterns) {
            String problem = JobPattern.problem(p);
            if (problem != null) {
                problems.add(problem);
            } else if (distinct.add(p.trim())) {
                compiled.add(JobPattern.of(p));
            }
        }
        if (compiled.isEmpty() && problems.isEmpty()) {
            problems.add("No jobs to freeze: pass jobs: ['folder/deploy-job', 'deploy/*'] or a configured preset.");
        }
        Set<String> toDisable = new TreeSet<>();
        Set<String> alreadyDisabled = new TreeSet<>();
        Set<String> joined = new TreeSet<>();
        Set<String> takenOver = new TreeSet<>();
        Map<String, List<FreezeHolds.Holder>> stale = new TreeMap<>();
        for (JobPattern pattern : compiled) {
            boolean matched = false;
            for (JobState job : jobs) {
                if (!pattern.matches(job.fullName())) {
                    continue;
                }
                matched = true;
                List<FreezeHolds.Holder> holders = holds.holders(job.fullName());
                List<FreezeHolds.Holder> ended = holders.stream().filter(live.negate()).toList();
                if (!ended.isEmpty()) {
                    stale.put(job.fullName(), ended);
                }
                if (job.disabled()) {
                    if (holders.isEmpty()) {
                        alreadyDisabled.add(job.fullName());
                    } else if (ended.size() < holders.size()) {
                        joined.add(job.fullName());
                    } else {
                        takenOver.add(job.fullName());
                    }
                } else if (!job.canBeDisabled()) {
                    problems.add("Job '" + job.fullName() + "' (matched by '" + pattern + "') cannot be disabled: "
                            + "remove it from the list or stop its triggers another way.");
                } else if (!job.canConfigure()) {
                    problems.add("This build may not configure job '" + job.fullName() + "' (Item.CONFIGURE), so it cannot "
                            + "disable it: grant the build's identity Job/Configure on it, or remove it from the list.");
                } else {
                    toDisable.add(job.fullName());
                }
            }
            if (!matched) {
                problems.add(pattern.isGlob()
                        ? "'" + pattern + "' matches no job the build can see: check the folder and the pattern."
                        : "No job named '" + pattern + "' that the build can see: use the job's full name (folder/job).");
            }
        }
        return new FreezePlan(List.copyOf(distinct), List.copyOf(toDisable), List.copyOf(alreadyDisabled), List.copyOf(joined),
                List.copyOf(takenOver), Collections.unmodifiableMap(stale), List.copyOf(problems));
    }

    /**
     * Which of the jobs this freeze disabled to re-enable now: those still disabled. One that is gone is reported
     * missing; one somebody already re-enabled is left as it is.
     */
    public static Unfreeze unfreeze(Collection<String> disabledByFreeze, Map<String, JobState> current) {
        List<String> reEnable = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> alreadyEnabled = new ArrayList<>();
        for (String name : new LinkedHashSet<>(disabledByFreeze)) {
            JobState job = current.get(name);
            if (job == null) {
                missing.add(name);
            } else if (job.disabled()) {
                reEnable.add(name);
            } else {
                alreadyEnabled.add(name);
            }
        }
        return new Unfreeze(List.copyOf(reEnable), List.copyOf(missing), List.copyOf(alreadyEnabled));
    }

    /** The re-enable decision. */
    public record Unfreeze(List<String> reEnable, List<String> missing, List<String> alreadyEnabled) {
    }
}
