package io.jenkins.plugins.migrationrunbook.freeze;

import hudson.model.Action;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attached to the run that froze auto-deploy and saved with it, so the exact set of jobs to re-enable survives a
 * failure, an abort and a controller restart. Shown on the run page as "Auto-deploy freeze".
 */
public final class FreezeRecord implements Action, Serializable {
    private static final long serialVersionUID = 1L;

    private final List<FreezeEntry> entries = new ArrayList<>();

    public synchronized FreezeEntry begin(List<String> patterns, List<String> alreadyDisabled, List<String> joined, long now) {
        FreezeEntry entry = new FreezeEntry(nextId(), patterns, alreadyDisabled, joined, now);
        entries.add(entry);
        return entry;
    }

    /** The id the next freeze of this run gets (its holder id in {@link FreezeHolds}). */
    public synchronized String nextId() {
        return "freeze-" + (entries.size() + 1);
    }

    public synchronized List<FreezeEntry> getEntries() {
        return List.copyOf(entries);
    }

    public synchronized Optional<FreezeEntry> entry(String id) {
        return entries.stream().filter(e -> e.getId().equals(id)).findFirst();
    }

    /** Entries with jobs still to re-enable. */
    public synchronized List<FreezeEntry> active() {
        return entries.stream().filter(FreezeEntry::isActive).toList();
    }

    /** Every job a freeze of this run still holds. */
    public synchronized List<String> stillFrozen() {
        List<String> out = new ArrayList<>();
        for (FreezeEntry e : entries) {
            out.addAll(e.getPending());
        }
        return out;
    }

    @Override
    public String getIconFileName() {
        return "clipboard.png";
    }

    @Override
    public String getDisplayName() {
        return "Auto-deploy freeze";
    }

    @Override
    public String getUrlName() {
        return "auto-deploy-freeze";
    }
}
