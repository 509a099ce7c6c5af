package io.jenkins.plugins.migrationrunbook.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationrunbook.core.RunbookException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreezerTest {

    /** An in-memory controller: job name to state, plus the order of every change. */
    static final class FakeJobs implements Jobs {
        final Map<String, JobState> jobs = new LinkedHashMap<>();
        final List<String> changes = new ArrayList<>();
        String failOn;

        FakeJobs add(String name, boolean disabled) {
            jobs.put(name, new JobState(name, disabled, true, true));
            return this;
        }

        FakeJobs add(JobState state) {
            jobs.put(state.fullName(), state);
            return this;
        }

        synchronized boolean disabled(String name) {
            return jobs.get(name).disabled();
        }

        @Override
        public synchronized List<JobState> all() {
            return new ArrayList<>(jobs.values());
        }

        @Override
        public synchronized Map<String, JobState> current(Collection<String> names) {
            Map<String, JobState> out = new LinkedHashMap<>();
            for (String n : names) {
                if (jobs.containsKey(n)) {
                    out.put(n, jobs.get(n));
                }
            }
            return out;
        }

        @Override
        public synchronized void setDisabled(String name, boolean disabled) throws IOException {
            if (name.equals(failOn)) {
                throw new IOException("disk full");
            }
            JobState s = jobs.get(name);
            jobs.put(name, new JobState(name, disabled, s.canBeDisabled(), s.canConfigure()));
            changes.add((disabled ? "disable " : "enable ") + name);
        }
    }

    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    int saves;

    @TempDir
    Path jenkinsRoot;
    /** Runs that have finished (or were deleted): their holds are stale. */
    final Set<String> finishedRuns = ConcurrentHashMap.newKeySet();

    FreezeHolds.Registry registry() {
        return new FreezeHolds.Registry(jenkinsRoot.resolve(FreezeHolds.FILE_NAME), run -> !finishedRuns.contains(run));
    }

    Freezer freezer(FakeJobs jobs, FreezeRecord record) {
        return freezer(jobs, record, "release#1");
    }

    Freezer freezer(FakeJobs jobs, FreezeRecord record, String runId) {
        return new Freezer(jobs, record, () -> saves++, log, registry(), runId);
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void alreadyDisabledJobStaysDisabledAndOnlyTheFreezesOwnJobsAreReEnabled() throws Exception {
        FakeJobs jobs = new FakeJobs().add("deploy/a", false).add("deploy/b", true).add("deploy/c", false).add("other", false);
        FreezeRecord record = new FreezeRecord();

        FreezeEntry entry = freezer(jobs, record).freeze(List.of("deploy/*"), 1);

        assertThat(entry.getDisabled()).containsExactly("deploy/a", "deploy/c");
        assertThat(entry.getAlreadyDisabled()).containsExactly("deploy/b");
        assertThat(jobs.disabled("deploy/a")).isTrue();
        assertThat(jobs.disabled("other")).isFalse();

        Freezer.Result result = freezer(jobs, record).unfreeze(entry, 2);

        assertThat(result.reEnabled()).containsExactly("deploy/a", "deploy/c");
        assertThat(jobs.disabled("deploy/b")).as("was disabled before the freeze").isTrue();
        assertThat(jobs.disabled("deploy/a")).isFalse();
        assertThat(jobs.changes).containsExactly("disable deploy/a", "disable deploy/c", "enable deploy/a", "enable deploy/c");
        assertThat(log()).contains("deploy/b stays disabled");
        assertThat(entry.isActive()).isFalse();
    }

    @Test
    void recordIsSavedAfterEveryDisabledJob() throws Exception {
        FakeJobs jobs = new FakeJobs().add("d/a", false).add("d/b", false);
        freezer(jobs, new FreezeRecord()).freeze(List.of("d/*"), 1);
        assertThat(saves).as("once when the entry is created, once per disabled job").isEqualTo(3);
    }

    @Test
    void refusesBeforeAnyChangeWhenAPatternMatchesNothingOrAJobIsNotConfigurable() {
        FakeJobs jobs = new FakeJobs().add("deploy/a", false).add(new JobState("deploy/locked", false, true, false));
        FreezeRecord record = new FreezeRecord();

        assertThatThrownBy(() -> freezer(jobs, record).freeze(List.of("deploy/*", "deplyo/x"), 1))
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("nothing was changed")
                .hasMessageContaining("Item.CONFIGURE")
                .hasMessageContaining("No job named 'deplyo/x'");
        assertThat(jobs.changes).isEmpty();
        assertThat(record.getEntries()).isEmpty();
    }

    @Test
    void failureHalfWayRollsBackWhatItDisabled() {
        FakeJobs jobs = new FakeJobs().add("d/a", false).add("d/b", false).add("d/c", false);
        jobs.failOn = "d/b";
        FreezeRecord record = new FreezeRecord();

        assertThatThrownBy(() -> freezer(jobs, record).freeze(List.of("d/*"), 1))
                .isInstanceOf(RunbookException.class).hasMessageContaining("rolled back");
        assertThat(jobs.changes).containsExactly("disable d/a", "enable d/a");
        assertThat(record.stillFrozen()).isEmpty();
    }

    @Test
    void jobReEnabledBySomeoneElseOrDeletedIsNotTouchedAgain() throws Exception {
        FakeJobs jobs = new FakeJobs().add("d/a", false).add("d/b", false).add("d/c", false);
        FreezeRecord record = new FreezeRecord();
        FreezeEntry entry = freezer(jobs, record).freeze(List.of("d/*"), 1);
        jobs.setDisabled("d/b", false); // a human re-enabled it meanwhile
        jobs.jobs.remove("d/c");
        jobs.changes.clear();

        Freezer.Result result = freezer(jobs, record).unfreeze(entry, 2);

        assertThat(result.reEnabled()).containsExactly("d/a");
        assertThat(result.alreadyEnabled()).containsExactly("d/b");
        assertThat(result.missing()).containsExactly("d/c");
        assertThat(jobs.changes).containsExactly("enable d/a");
    }

    @Test
    void unfreezeAllIsIdempotentAndCoversEveryFreezeOfTheRun() throws Exception {
        FakeJobs jobs = new FakeJobs().add("a/x", false).add("b/y", false).add("b/z", true);
        FreezeRecord record = new FreezeRecord();
        freezer(jobs, record).freeze(List.of("a/*"), 1);
        freezer(jobs, record).freeze(List.of("b/*", "a/x"), 2); // a/x already disabled by the first freeze

        Freezer.Result first = freezer(jobs, record).unfreezeAll(3);
        Freezer.Result second = freezer(jobs, record).unfreezeAll(4);

        assertThat(first.reEnabled()).containsExactlyInAnyOrder("a/x", "b/y");
        assertThat(second.reEnabled()).isEmpty();
        assertThat(jobs.disabled("b/z")).isTrue();
        assertThat(record.stillFrozen()).isEmpty();
    }

    @Test
    void recordSurvivesSerializationAndStillKnowsExactlyWhatToReEnable() throws Exception {
        FakeJobs jobs = new FakeJobs().add("d/a", false).add("d/b", true).add("d/c", false);
        FreezeRecord record = new FreezeRecord();
        FreezeEntry entry = freezer(jobs, record).freeze(List.of("d/*"), 1);

        // as after a controller restart: the run (and this action) are read back from disk
        FreezeRecord reloaded = roundTrip(record);
        FreezeEntry reloadedEntry = reloaded.entry(entry.getId()).orElseThrow();
        assertThat(reloadedEntry.getPending()).containsExactly("d/a", "d/c");
        assertThat(reloadedEntry.getAlreadyDisabled()).containsExactly("d/b");

        freezer(jobs, reloaded).unfreeze(reloadedEntry, 2);
        assertThat(jobs.disabled("d/a")).isFalse();
        assertThat(jobs.disabled("d/c")).isFalse();
        assertThat(jobs.disabled("d/b")).isTrue();
    }

    // --- two runs freezing the same jobs (the controller-wide holds) ---

    @Test
    void overlappingFreezesReEnableOnlyWhenTheLastHolderUnfreezes() throws Exception {
        FakeJobs jobs = new FakeJobs().add("deploy/payments", false).add("deploy/legacy", true);
        FreezeRecord a = new FreezeRecord();
        FreezeRecord b = new FreezeRecord();

        FreezeEntry ea = freezer(jobs, a, "release#1").freeze(List.of("deploy/*"), 1);
        FreezeEntry eb = freezer(jobs, b, "hotfix#7").freeze(List.of("deploy/*"), 2);

        assertThat(ea.getDisabled()).containsExactly("deploy/payments");
        assertThat(eb.getDisabled()).isEmpty();
        assertThat(eb.getJoined()).as("held with run A, not mistaken for disabled by a human").containsExactly("deploy/payments");
        assertThat(eb.getAlreadyDisabled()).containsExactly("deploy/legacy");
        assertThat(log()).contains("deploy/payments is already frozen by [release#1 (freeze-1)]");

        Freezer.Result first = freezer(jobs, a, "release#1").unfreeze(ea, 3);
        assertThat(first.reEnabled()).isEmpty();
        assertThat(first.stillFrozen()).containsExactly("deploy/payments");
        assertThat(jobs.disabled("deploy/payments")).as("B's migration is still running").isTrue();
        assertThat(ea.isActive()).as("A holds nothing any more").isFalse();
        assertThat(log()).contains("deploy/payments stays disabled: still frozen by [hotfix#7 (freeze-1)]");

        Freezer.Result last = freezer(jobs, b, "hotfix#7").unfreeze(eb, 4);
        assertThat(last.reEnabled()).containsExactly("deploy/payments");
        assertThat(jobs.disabled("deploy/payments")).isFalse();
        assertThat(jobs.disabled("deploy/legacy")).as("disabled by a human before any freeze").isTrue();
        assertThat(jobs.changes).containsExactly("disable deploy/payments", "enable deploy/payments");
        assertThat(FreezeHolds.read(registry().file()).jobs()).isEmpty();
    }

    @Test
    void theRunThatJoinedLastMayFinishFirst() throws Exception {
        FakeJobs jobs = new FakeJobs().add("auto-deploy", false);
        FreezeRecord a = new FreezeRecord();
        FreezeRecord b = new FreezeRecord();
        FreezeEntry ea = freezer(jobs, a, "release#1").freeze(List.of("auto-deploy"), 1);
        FreezeEntry eb = freezer(jobs, b, "release#2").freeze(List.of("auto-deploy"), 2);

        freezer(jobs, b, "release#2").unfreeze(eb, 3);
        assertThat(jobs.disabled("auto-deploy")).isTrue();
        freezer(jobs, a, "release#1").unfreeze(ea, 4);
        assertThat(jobs.disabled("auto-deploy")).isFalse();
    }

    @Test
    void holdsArePersistedInTheRegistryFile() throws Exception {
        FakeJobs jobs = new FakeJobs().add("d/a", false);
        FreezeRecord a = new FreezeRecord();
        freezer(jobs, a, "folder/release#12").freeze(List.of("d/a"), 1234);

        // as after a controller restart: a fresh read of the file
        FreezeHolds holds = FreezeHolds.read(registry().file());
        assertThat(holds.holders("d/a")).containsExactly(new FreezeHolds.Holder("folder/release#12", "freeze-1", 1234));
        assertThat(Files.readString(registry().file())).contains("\"d/a\"", "\"folder/release#12\"");
        try (var stream = Files.list(jenkinsRoot)) {
            assertThat(stream.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly(FreezeHolds.FILE_NAME);
        }
    }

    @Test
    void aHoldOfAFinishedRunIsDroppedWhenTheLastLiveHolderUnfreezes() throws Exception {
        FakeJobs jobs = new FakeJobs().add("auto-deploy", false);
        FreezeRecord a = new FreezeRecord();
        FreezeRecord b = new FreezeRecord();
        freezer(jobs, a, "release#1").freeze(List.of("auto-deploy"), 1);
        FreezeEntry eb = freezer(jobs, b, "release#2").freeze(List.of("auto-deploy"), 2);
        finishedRuns.add("release#1"); // crashed (or deleted) without unfreezing

        Freezer.Result result = freezer(jobs, b, "release#2").unfreeze(eb, 3);

        assertThat(result.reEnabled()).containsExactly("auto-deploy");
        assertThat(jobs.disabled("auto-deploy")).isFalse();
        assertThat(log()).contains("Dropped the stale hold of release#1 (freeze-1) on auto-deploy");
        assertThat(FreezeHolds.read(registry().file()).jobs()).isEmpty();
    }

    @Test
    void aJobLeftDisabledByAFinishedRunIsTakenOverByTheNextFreezeAndReEnabledWhenItEnds() throws Exception {
        FakeJobs jobs = new FakeJobs().add("auto-deploy", false);
        freezer(jobs, new FreezeRecord(), "release#1").freeze(List.of("auto-deploy"), 1);
        finishedRuns.add("release#1"); // its build ended without unfreezing

        FreezeRecord b = new FreezeRecord();
        FreezeEntry eb = freezer(jobs, b, "release#2").freeze(List.of("auto-deploy"), 2);

        assertThat(eb.getJoined()).containsExactly("auto-deploy");
        assertThat(eb.getAlreadyDisabled()).isEmpty();
        assertThat(log()).contains("Dropped the stale hold of release#1 (freeze-1) on auto-deploy")
                .contains("auto-deploy was left disabled by [release#1 (freeze-1)], whose build has ended: this freeze takes it over");
        assertThat(FreezeHolds.read(registry().file()).holders("auto-deploy")).extracting(FreezeHolds.Holder::run)
                .containsExactly("release#2");

        freezer(jobs, b, "release#2").unfreeze(eb, 3);
        assertThat(jobs.disabled("auto-deploy")).isFalse();
    }

    @Test
    void aFailedFreezeLeavesTheJobsItJoinedFrozenForTheirHolder() throws Exception {
        FakeJobs jobs = new FakeJobs().add("d/a", false).add("d/b", false).add("d/c", false);
        FreezeRecord a = new FreezeRecord();
        FreezeEntry ea = freezer(jobs, a, "release#1").freeze(List.of("d/a"), 1);
        jobs.failOn = "d/c";
        jobs.changes.clear();

        assertThatThrownBy(() -> freezer(jobs, new FreezeRecord(), "release#2").freeze(List.of("d/*"), 2))
                .isInstanceOf(RunbookException.class).hasMessageContaining("rolled back");

        assertThat(jobs.changes).containsExactly("disable d/b", "enable d/b");
        assertThat(jobs.disabled("d/a")).as("still frozen by run A").isTrue();
        assertThat(FreezeHolds.read(registry().file()).holders("d/a")).extracting(FreezeHolds.Holder::run).containsExactly("release#1");
        assertThat(FreezeHolds.read(registry().file()).jobs()).containsExactly("d/a");
        freezer(jobs, a, "release#1").unfreeze(ea, 3);
        assertThat(jobs.disabled("d/a")).isFalse();
    }

    @Test
    void aRecordSavedBeforeTheRegistryExistedStillUnfreezes() throws Exception {
        // a run frozen by the previous plugin version: its job has no hold in the registry
        FakeJobs jobs = new FakeJobs().add("auto-deploy", true);
        FreezeRecord old = new FreezeRecord();
        FreezeEntry entry = old.begin(List.of("auto-deploy"), List.of(), List.of(), 1);
        entry.recordDisabled("auto-deploy");

        freezer(jobs, old, "release#1").unfreeze(entry, 2);
        assertThat(jobs.disabled("auto-deploy")).isFalse();
    }

    @Test
    void concurrentFreezesOfTheSameJobNeverReEnableItUnderAHolder() throws Exception {
        FakeJobs jobs = new FakeJobs().add("auto-deploy", false);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int r = 1; r <= 3; r++) {
                String runId = "release#" + r;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        FreezeRecord record = new FreezeRecord();
                        FreezeEntry e = freezer(jobs, record, runId).freeze(List.of("auto-deploy"), i);
                        assertThat(jobs.disabled("auto-deploy")).as(runId + " holds it").isTrue();
                        Thread.yield();
                        assertThat(jobs.disabled("auto-deploy")).as(runId + " still holds it").isTrue();
                        freezer(jobs, record, runId).unfreeze(e, i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jobs.disabled("auto-deploy")).isFalse();
        assertThat(FreezeHolds.read(registry().file()).jobs()).isEmpty();
    }

    @Test
    void anUnreadableRegistryRefusesTheFreezeBeforeAnyChange() throws Exception {
        FakeJobs jobs = new FakeJobs().add("auto-deploy", false);
        Files.writeString(registry().file(), "{not json");

        assertThatThrownBy(() -> freezer(jobs, new FreezeRecord()).freeze(List.of("auto-deploy"), 1))
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining(FreezeHolds.FILE_NAME).hasMessageContaining("nothing was changed");
        assertThat(jobs.changes).isEmpty();
    }

    @Test
    void recordHoldsOnlyPlainDataTypes() {
        // XStream persists the action with the run: keep it to strings, lists and numbers
        for (var field : FreezeEntry.class.getDeclaredFields()) {
            assertThat(Set.of(String.class, List.class, long.class)).as(field.getName()).contains(field.getType());
        }
    }

    static FreezeRecord roundTrip(FreezeRecord record) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(record);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (FreezeRecord) in.readObject();
        }
    }
}
