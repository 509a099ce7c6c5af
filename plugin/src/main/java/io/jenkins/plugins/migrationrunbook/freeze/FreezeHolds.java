package io.jenkins.plugins.migrationrunbook.freeze;

import com.fasterxml.jackson.core.type.TypeReference;
import io.migrationrunbook.core.AtomicFile;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The controller-wide registry of who holds a freeze on which job: job full name to the freezes (run and freeze id)
 * holding it. Two runs freezing the same job both hold it, and it is re-enabled only when the last holder releases
 * it. A job disabled by a human has no entry: freezes leave it alone and never re-enable it. Kept in one JSON file
 * (under the Jenkins root directory in the plugin), rewritten atomically; every read-modify-write happens under the
 * {@link Freezer}'s lock. Jenkins-free, so its rules are tested without a controller.
 */
public final class FreezeHolds {

    /** The file name under the Jenkins root directory. */
    public static final String FILE_NAME = "migration-runbook-freeze-holds.json";

    /**
     * One freeze holding a job.
     *
     * @param run    the holding run's externalizable id ({@code folder/release#12})
     * @param freeze the freeze's id within that run ({@code freeze-1})
     * @param since  when it took the hold (epoch millis)
     */
    public record Holder(String run, String freeze, long since) {
        boolean same(Holder other) {
            return run.equals(other.run) && freeze.equals(other.freeze);
        }

        @Override
        public String toString() {
            return run + " (" + freeze + ")";
        }
    }

    /** Where the holds are kept, and how to tell whether a holder's run is still running. */
    public record Registry(Path file, Predicate<String> runIsBuilding) {
        public FreezeHolds read() {
            return FreezeHolds.read(file);
        }

        public boolean live(Holder holder) {
            return runIsBuilding.test(holder.run());
        }
    }

    private final Map<String, List<Holder>> jobs;

    private FreezeHolds(Map<String, List<Holder>> jobs) {
        this.jobs = jobs;
    }

    public static FreezeHolds empty() {
        return new FreezeHolds(new TreeMap<>());
    }

    /** Reads the registry; a missing file is an empty registry. */
    public static FreezeHolds read(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        try {
            Map<String, List<Holder>> read = Json.mapper().readValue(file.toFile(), new TypeReference<Map<String, List<Holder>>>() {
            });
            Map<String, List<Holder>> out = new TreeMap<>();
            read.forEach((job, holders) -> {
                if (holders != null && !holders.isEmpty()) {
                    out.put(job, new ArrayList<>(holders));
                }
            });
            return new FreezeHolds(out);
        } catch (IOException e) {
            throw RunbookException.environment("Cannot read the auto-deploy freeze registry " + file + " (" + e.getMessage()
                    + "): nothing was changed. Repair the file, or move it away when no migration holds a freeze.", e);
        }
    }

    /** Writes the registry atomically (a reader sees the old or the new file, never half of one). */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(jobs));
    }

    /** Every freeze holding the job, in the order they took it. */
    public List<Holder> holders(String job) {
        return List.copyOf(jobs.getOrDefault(job, List.of()));
    }

    /** The held jobs. */
    public List<String> jobs() {
        return List.copyOf(jobs.keySet());
    }

    /** Adds a hold (once per holder). */
    public void hold(String job, Holder holder) {
        List<Holder> list = jobs.computeIfAbsent(job, j -> new ArrayList<>());
        if (list.stream().noneMatch(holder::same)) {
            list.add(holder);
        }
    }

    /** Removes a holder's hold; returns the freezes still holding the job. */
    public List<Holder> release(String job, Holder holder) {
        List<Holder> list = jobs.get(job);
        if (list == null) {
            return List.of();
        }
        list.removeIf(holder::same);
        if (list.isEmpty()) {
            jobs.remove(job);
        }
        return holders(job);
    }

    /** The job's holders other than {@code self}. */
    public List<Holder> others(String job, Holder self) {
        return holders(job).stream().filter(h -> !h.same(self)).toList();
    }

    @Override
    public String toString() {
        return jobs.toString();
    }
}
