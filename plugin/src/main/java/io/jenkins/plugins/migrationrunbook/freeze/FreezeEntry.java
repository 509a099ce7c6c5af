package io.jenkins.plugins.migrationrunbook.freeze;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One freeze in a run: the patterns asked for, the jobs it holds — those it disabled and those it holds together with
 * other runs' freezes ({@code joined}, see {@link FreezeHolds}): the only ones it may re-enable, and only as their
 * last holder —, those it found disabled by someone and leaves alone, and those released so far. Plain fields:
 * persisted with the run (XStream) and serializable with the pipeline program.
 */
public final class FreezeEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final List<String> patterns;
    private final List<String> disabled = new ArrayList<>();
    private final List<String> alreadyDisabled;
    /** Disabled by another run's freeze (or left so by an ended one) and held with it; null in records saved before. */
    private List<String> joined = new ArrayList<>();
    /** Released: re-enabled, handed to the other holders, gone, or enabled by someone else (name kept for old records). */
    private final List<String> reEnabled = new ArrayList<>();
    private final long frozenAt;
    private long unfrozenAt;

    public FreezeEntry(String id, List<String> patterns, List<String> alreadyDisabled, List<String> joined, long frozenAt) {
        this.id = id;
        this.patterns = new ArrayList<>(patterns);
        this.alreadyDisabled = new ArrayList<>(alreadyDisabled);
        this.joined = new ArrayList<>(joined);
        this.frozenAt = frozenAt;
    }

    /** XStream leaves a field absent from an older saved record null. */
    private Object readResolve() {
        if (joined == null) {
            joined = new ArrayList<>();
        }
        return this;
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

    /** Jobs another run's freeze had disabled, held together with it (re-enabled by whichever holder ends last). */
    public synchronized List<String> getJoined() {
        return List.copyOf(joined);
    }

    /** Jobs this freeze no longer holds: re-enabled, left to the other runs holding them, gone, or enabled by someone. */
    public synchronized List<String> getReleased() {
        return List.copyOf(reEnabled);
    }

    /** Held by this freeze (disabled by it, or joined) and not released yet. */
    public synchronized List<String> getPending() {
        List<String> pending = new ArrayList<>(disabled);
        for (String j : joined) {
            if (!pending.contains(j)) {
                pending.add(j);
            }
        }
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

    /** Records that this freeze no longer holds the job. */
    synchronized void recordReleased(String fullName) {
        if ((disabled.contains(fullName) || joined.contains(fullName)) && !reEnabled.contains(fullName)) {
            reEnabled.add(fullName);
        }
    }

    synchronized void recordUnfrozen(long at) {
        if (getPending().isEmpty()) {
            unfrozenAt = at;
        }
    }
}
