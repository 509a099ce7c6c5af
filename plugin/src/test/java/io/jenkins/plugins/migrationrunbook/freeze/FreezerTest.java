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
import org.junit.jupiter.api.Test;

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

        boolean disabled(String name) {
            return jobs.get(name).disabled();
        }

        @Override
        public List<JobState> all() {
            return new ArrayList<>(jobs.values());
        }

        @Override
        public Map<String, JobState> current(Collection<String> names) {
            Map<String, JobState> out = new LinkedHashMap<>();
            for (String n : names) {
                if (jobs.containsKey(n)) {
                    out.put(n, jobs.get(n));
                }
            }
            return out;
        }

        @Override
        public void setDisabled(String name, boolean disabled) throws IOException {
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

    Freezer freezer(FakeJobs jobs, FreezeRecord record) {
        return new Freezer(jobs, record, () -> saves++, log);
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
