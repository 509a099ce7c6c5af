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
 * the record saved) right after it is disabled, so whatever happens next, the jobs to re-enable are known.
 */
public final class Freezer {

    /** Saves the run the record is attached to. */
    @FunctionalInterface
    public interface Persist {
        void save() throws IOException;
    }

    private final Jobs jobs;
    private final FreezeRecord record;
    private final Persist persist;
    private final PrintStream log;

    public Freezer(Jobs jobs, FreezeRecord record, Persist persist, PrintStream log) {
        this.jobs = jobs;
        this.record = record;
        this.persist = persist;
        this.log = log;
    }

    /**
     * Disables the enabled jobs matching {@code patterns}. Refused before any change when the plan has problems. If
     * disabling one fails, those disabled so far are re-enabled and the freeze fails: never half frozen.
     */
    public FreezeEntry freeze(Collection<String> patterns, long now) throws IOException {
        FreezePlan plan = FreezePlanner.plan(patterns, jobs.all());
        if (plan.refused()) {
            throw RunbookException.configuration("Auto-deploy not frozen, nothing was changed:\n  - "
                    + String.join("\n  - ", plan.problems()));
        }
        FreezeEntry entry = record.begin(plan.patterns(), plan.alreadyDisabled(), now);
        persist.save();
        for (String name : plan.alreadyDisabled()) {
            log.println("[freeze] " + name + " is already disabled: left as it is, and it will stay disabled afterwards.");
        }
        for (String name : plan.toDisable()) {
            try {
                jobs.setDisabled(name, true);
            } catch (IOException | RuntimeException e) {
                log.println("[freeze] Could not disable " + name + ": " + e.getMessage() + ". Re-enabling the "
                        + entry.getDisabled().size() + " job(s) disabled so far.");
                Result undo = unfreeze(entry, now);
                throw RunbookException.environment("Could not disable job '" + name + "' (" + e.getMessage()
                        + "); the freeze was rolled back" + (undo.failed().isEmpty() ? "" : ", except " + undo.failed()
                        + ", which stay disabled: enable them by hand") + ".", e);
            }
            entry.recordDisabled(name);
            persist.save();
            log.println("[freeze] Disabled " + name);
        }
        log.println("[freeze] Auto-deploy frozen: " + plan.toDisable().size() + " job(s) disabled, "
                + plan.alreadyDisabled().size() + " already disabled (" + entry.getId() + ").");
        return entry;
    }

    /** What an unfreeze did. */
    public record Result(List<String> reEnabled, List<String> missing, List<String> alreadyEnabled, List<String> failed) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reEnabled", reEnabled);
            m.put("missing", missing);
            m.put("alreadyEnabled", alreadyEnabled);
            m.put("failed", failed);
            return m;
        }
    }

    /** Re-enables exactly the jobs {@code entry} disabled and that are still disabled; never the others. */
    public Result unfreeze(FreezeEntry entry, long now) throws IOException {
        List<String> pending = entry.getPending();
        FreezePlanner.Unfreeze decision = FreezePlanner.unfreeze(pending, jobs.current(pending));
        List<String> reEnabled = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String name : decision.reEnable()) {
            try {
                jobs.setDisabled(name, false);
                entry.recordReEnabled(name);
                persist.save();
                reEnabled.add(name);
                log.println("[unfreeze] Re-enabled " + name);
            } catch (IOException | RuntimeException e) {
                failed.add(name);
                log.println("[unfreeze] COULD NOT RE-ENABLE " + name + ": " + e.getMessage());
            }
        }
        for (String name : decision.missing()) {
            entry.recordSettled(name);
            log.println("[unfreeze] " + name + " no longer exists (or is not visible to this build): nothing to re-enable.");
        }
        for (String name : decision.alreadyEnabled()) {
            entry.recordSettled(name);
            log.println("[unfreeze] " + name + " was already re-enabled by someone else.");
        }
        for (String name : entry.getAlreadyDisabled()) {
            log.println("[unfreeze] " + name + " stays disabled: it was disabled before the freeze.");
        }
        entry.recordUnfrozen(now);
        persist.save();
        if (!failed.isEmpty()) {
            log.println("[unfreeze] WARNING: still disabled by this run's freeze: " + failed + ". Run unfreezeAutoDeploy() "
                    + "again, or enable them by hand (Enable project).");
        }
        return new Result(reEnabled, decision.missing(), decision.alreadyEnabled(), failed);
    }

    /** Unfreezes every freeze of this run that still has jobs to re-enable. */
    public Result unfreezeAll(long now) throws IOException {
        List<String> reEnabled = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> alreadyEnabled = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (FreezeEntry entry : record.active()) {
            Result r = unfreeze(entry, now);
            reEnabled.addAll(r.reEnabled());
            missing.addAll(r.missing());
            alreadyEnabled.addAll(r.alreadyEnabled());
            failed.addAll(r.failed());
        }
        return new Result(reEnabled, missing, alreadyEnabled, failed);
    }
}
