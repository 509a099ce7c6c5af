package io.jenkins.plugins.migrationrunbook.freeze;

import io.migrationrunbook.core.RunbookException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Freezes and unfreezes auto-deploy jobs, keeping the run's {@link FreezeRecord} exact: every job is recorded (and
 * the record saved) right after it is disabled, so whatever happens next, the jobs to re-enable are known. Runs
 * freezing the same job at once are coordinated through the controller-wide {@link FreezeHolds}: each holds the job,
 * and only the last holder to unfreeze re-enables it.
 */
public final class Freezer {

    /** Saves the run the record is attached to. */
    @FunctionalInterface
    public interface Persist {
        void save() throws IOException;
    }

    /**
     * One freeze or unfreeze at a time in this controller: the registry is read, changed and written as a whole, and
     * two runs deciding at once would each see the job as the other left it.
     */
    private static final Object LOCK = new Object();

    private final Jobs jobs;
    private final FreezeRecord record;
    private final Persist persist;
    private final PrintStream log;
    private final FreezeHolds.Registry registry;
    private final String runId;

    /**
     * @param registry where the holds of every run are kept
     * @param runId    this run's externalizable id: its holds are recorded under it
     */
    public Freezer(Jobs jobs, FreezeRecord record, Persist persist, PrintStream log, FreezeHolds.Registry registry, String runId) {
        this.jobs = jobs;
        this.record = record;
        this.persist = persist;
        this.log = log;
        this.registry = registry;
        this.runId = runId;
    }

    private FreezeHolds.Holder holder(String freezeId, long now) {
        return new FreezeHolds.Holder(runId, freezeId, now);
    }

    /**
     * Disables the enabled jobs matching {@code patterns} and holds them, and holds the matching jobs other runs'
     * freezes hold. Refused before any change when the plan has problems. If disabling one fails, those disabled so
     * far are re-enabled, the holds released, and the freeze fails: never half frozen.
     */
    public FreezeEntry freeze(Collection<String> patterns, long now) throws IOException {
        synchronized (LOCK) {
            FreezeHolds holds = registry.read();
            FreezePlan plan = FreezePlanner.plan(patterns, jobs.all(), holds, registry::live);
            if (plan.refused()) {
                throw RunbookException.configuration("Auto-deploy not frozen, nothing was changed:\n  - "
                        + String.join("\n  - ", plan.problems()));
            }
            List<String> joined = new ArrayList<>(plan.joined());
            joined.addAll(plan.takenOver());
            FreezeEntry entry = record.begin(plan.patterns(), plan.alreadyDisabled(), joined, now);
            persist.save();
            FreezeHolds.Holder me = holder(entry.getId(), now);
            // held before anything is disabled: a crash in between leaves at worst a hold on an enabled job, never a
            // job disabled by a freeze that looks disabled by a human (and would never be re-enabled)
            for (String name : joined) {
                holds.hold(name, me);
            }
            for (String name : plan.toDisable()) {
                holds.hold(name, me);
            }
            holds.write(registry.file());
            for (String name : plan.toDisable()) {
                try {
                    jobs.setDisabled(name, true);
                } catch (IOException | RuntimeException e) {
                    log.println("[freeze] Could not disable " + name + ": " + e.getMessage() + ". Re-enabling the "
                            + entry.getDisabled().size() + " job(s) disabled so far.");
                    Result undo = rollBack(entry, holds, me, plan, now);
                    throw RunbookException.environment("Could not disable job '" + name + "' (" + e.getMessage()
                            + "); the freeze was rolled back" + (undo.failed().isEmpty() ? "" : ", except " + undo.failed()
                            + ", which stay disabled: enable them by hand") + ".", e);
                }
                entry.recordDisabled(name);
                persist.save();
                log.println("[freeze] Disabled " + name);
            }
            plan.stale().forEach((job, ended) -> {
                for (FreezeHolds.Holder h : ended) {
                    holds.release(job, h);
                    log.println("[freeze] Dropped the stale hold of " + h + " on " + job + ": that build has finished or "
                            + "no longer exists.");
                }
            });
            holds.write(registry.file());
            for (String name : plan.alreadyDisabled()) {
                log.println("[freeze] " + name + " is already disabled (not by a freeze): left as it is, and it will stay "
                        + "disabled afterwards.");
            }
            for (String name : plan.joined()) {
                log.println("[freeze] " + name + " is already frozen by " + holds.others(name, me) + ": held jointly; it is "
                        + "re-enabled only when the last freeze holding it ends.");
            }
            for (String name : plan.takenOver()) {
                log.println("[freeze] " + name + " was left disabled by " + plan.stale().get(name) + ", whose build has "
                        + "ended: this freeze takes it over and re-enables it when it ends.");
            }
            log.println("[freeze] Auto-deploy frozen: " + plan.toDisable().size() + " job(s) disabled, "
                    + joined.size() + " held with other freezes, " + plan.alreadyDisabled().size() + " already disabled ("
                    + entry.getId() + ").");
            return entry;
        }
    }

    /**
     * Undoes a freeze that failed half-way: gives up the holds it took without disabling (joined, taken over, not
     * reached), leaving those jobs as they were, and re-enables the ones it disabled.
     */
    private Result rollBack(FreezeEntry entry, FreezeHolds holds, FreezeHolds.Holder me, FreezePlan plan, long now)
            throws IOException {
        for (String name : entry.getJoined()) {
            holds.release(name, me);
            entry.recordReleased(name);
        }
        for (String name : plan.toDisable()) {
            if (!entry.getDisabled().contains(name)) {
                holds.release(name, me);
            }
        }
        holds.write(registry.file());
        return unfreezeLocked(entry, now);
    }

    /** What an unfreeze did. {@code stillFrozen}: released by this run, kept disabled for other runs' freezes. */
    public record Result(List<String> reEnabled, List<String> stillFrozen, List<String> missing, List<String> alreadyEnabled,
            List<String> failed) {

        public static Result none() {
            return new Result(List.of(), List.of(), List.of(), List.of(), List.of());
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reEnabled", reEnabled);
            m.put("stillFrozen", stillFrozen);
            m.put("missing", missing);
            m.put("alreadyEnabled", alreadyEnabled);
            m.put("failed", failed);
            return m;
        }
    }

    /**
     * Releases the jobs {@code entry} holds. A job another live run's freeze still holds stays disabled; the others
     * that are still disabled are re-enabled; never a job the freeze found disabled by someone.
     */
    public Result unfreeze(FreezeEntry entry, long now) throws IOException {
        synchronized (LOCK) {
            return unfreezeLocked(entry, now);
        }
    }

    private Result unfreezeLocked(FreezeEntry entry, long now) throws IOException {
        FreezeHolds holds = registry.read();
        FreezeHolds.Holder me = holder(entry.getId(), now);
        List<String> lastHolder = new ArrayList<>();
        List<String> stillFrozen = new ArrayList<>();
        for (String name : entry.getPending()) {
            List<FreezeHolds.Holder> live = new ArrayList<>();
            for (FreezeHolds.Holder other : holds.others(name, me)) {
                if (registry.live(other)) {
                    live.add(other);
                } else {
                    holds.release(name, other);
                    log.println("[unfreeze] Dropped the stale hold of " + other + " on " + name + ": that build has "
                            + "finished or no longer exists.");
                }
            }
            if (live.isEmpty()) {
                lastHolder.add(name);
            } else {
                holds.release(name, me);
                entry.recordReleased(name);
                stillFrozen.add(name);
                log.println("[unfreeze] " + name + " stays disabled: still frozen by " + live + "; the last of them to "
                        + "unfreeze re-enables it.");
            }
        }
        FreezePlanner.Unfreeze decision = FreezePlanner.unfreeze(lastHolder, jobs.current(lastHolder));
        List<String> reEnabled = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String name : decision.reEnable()) {
            try {
                jobs.setDisabled(name, false);
            } catch (IOException | RuntimeException e) {
                // keeps its hold: it is still this freeze's to re-enable
                failed.add(name);
                log.println("[unfreeze] COULD NOT RE-ENABLE " + name + ": " + e.getMessage());
                continue;
            }
            holds.release(name, me);
            entry.recordReleased(name);
            persist.save();
            reEnabled.add(name);
            log.println("[unfreeze] Re-enabled " + name);
        }
        for (String name : decision.missing()) {
            holds.release(name, me);
            entry.recordReleased(name);
            log.println("[unfreeze] " + name + " no longer exists (or is not visible to this build): nothing to re-enable.");
        }
        for (String name : decision.alreadyEnabled()) {
            holds.release(name, me);
            entry.recordReleased(name);
            log.println("[unfreeze] " + name + " was already re-enabled by someone else.");
        }
        holds.write(registry.file());
        for (String name : entry.getAlreadyDisabled()) {
            log.println("[unfreeze] " + name + " stays disabled: it was disabled before the freeze.");
        }
        entry.recordUnfrozen(now);
        persist.save();
        if (!failed.isEmpty()) {
            log.println("[unfreeze] WARNING: still disabled by this run's freeze: " + failed + ". Run unfreezeAutoDeploy() "
                    + "again, or enable them by hand (Enable project).");
        }
        return new Result(reEnabled, stillFrozen, decision.missing(), decision.alreadyEnabled(), failed);
    }

    /** Unfreezes every freeze of this run that still holds jobs. */
    public Result unfreezeAll(long now) throws IOException {
        List<String> reEnabled = new ArrayList<>();
        List<String> stillFrozen = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> alreadyEnabled = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (FreezeEntry entry : record.active()) {
            Result r = unfreeze(entry, now);
            reEnabled.addAll(r.reEnabled());
            stillFrozen.addAll(r.stillFrozen());
            missing.addAll(r.missing());
            alreadyEnabled.addAll(r.alreadyEnabled());
            failed.addAll(r.failed());
        }
        // a job two freezes of this run held is released by the first and re-enabled by the second
        stillFrozen.removeAll(reEnabled);
        return new Result(reEnabled, stillFrozen, missing, alreadyEnabled, failed);
    }
}
