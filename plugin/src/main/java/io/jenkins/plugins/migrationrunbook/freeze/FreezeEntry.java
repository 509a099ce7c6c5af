package io.jenkins.plugins.migrationrunbook.freeze;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One freeze in a run: the patterns asked for, exactly the jobs this freeze disabled (the only ones it may re-enable),
 * those it found already disabled, and those re-enabled so far. Plain fields: persisted with the run (XStream) and
 * serializable with the pipeline program.
 */
public final class FreezeEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final List<String> patterns;
    private final List<String> disabled = new ArrayList<>();
    private final List<String> alreadyDisabled;
    private final List<String> reEnabled = new ArrayList<>();
    private final long frozenAt;
    private long unfrozenAt;

    public FreezeEntry(String id, List<String> patterns, List<String> alreadyDisabled, long frozenAt) {
        this.id = id;
        this.patterns = new ArrayList<>(patterns);
        this.alreadyDisabled = new ArrayList<>(alreadyDisabled);
        this.frozenAt = frozenAt;
    }

    public String getId() {
        return id;
    }

    public List<String> getPatterns() {
        return List.copyOf(patterns);
    }

    /** Every job this freeze disabled, in order. */
    public synchronized List<String> getDisabled() {
        return List.copyOf(disabled);
    }

    public List<String> getAlreadyDisabled() {
        return List.copyOf(alreadyDisabled);
    }

    public synchronized List<String> getReEnabled() {
        return List.copyOf(reEnabled);
    }

    /** Disabled by this freeze and not re-enabled yet. */
    public synchronized List<String> getPending() {
        List<String> pending = new ArrayList<>(disabled);
        pending.removeAll(reEnabled);
        return pending;
    }

    public long getFrozenAt() {
        return frozenAt;
    }

    public synchronized long getUnfrozenAt() {
        return unfrozenAt;
    }

    public synchronized boolean isActive() {
        return unfrozenAt == 0;
    }

    synchronized void recordDisabled(String fullName) {
        if (!disabled.contains(fullName)) {
            disabled.add(fullName);
        }
    }

    synchronized void recordReEnabled(String fullName) {
        if (disabled.contains(fullName) && !reEnabled.contains(fullName)) {
            reEnabled.add(fullName);
        }
    }

    /** Settles a job that no longer needs re-enabling (gone, or enabled by someone else). */
    synchronized void recordSettled(String fullName) {
        recordReEnabled(fullName);
    }

    synchronized void recordUnfrozen(long at) {
        if (getPending().isEmpty()) {
            unfrozenAt = at;
        }
    }
}
