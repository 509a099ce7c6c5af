package io.migrationrunbook.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The release policy. Defaults come from the guide: breaking and non-breaking changes ship separately, backfills
 * are batch jobs, breaking changes need an explicit approval. Configurable from YAML ({@link #load(Path)}) or flags.
 *
 * @param refuseMixedRelease    refuse a release holding both breaking and non-breaking changes (default true)
 * @param refuseBackfill        refuse large data changes in migrations (default true)
 * @param breakingNeedsApproval breaking changes run only when approved (default true)
 * @param refuseLocking         refuse rewrites and long write-blocking locks outright (default false: they pause consumers)
 * @param lockingNeedsApproval  locking changes need an approval (default false)
 */
public record ReleasePolicy(boolean refuseMixedRelease, boolean refuseBackfill, boolean breakingNeedsApproval,
                            boolean refuseLocking, boolean lockingNeedsApproval) {

    @JsonCreator
    static ReleasePolicy fromYaml(@JsonProperty("refuseMixedRelease") Boolean refuseMixedRelease,
                                  @JsonProperty("refuseBackfill") Boolean refuseBackfill,
                                  @JsonProperty("breakingNeedsApproval") Boolean breakingNeedsApproval,
                                  @JsonProperty("refuseLocking") Boolean refuseLocking,
                                  @JsonProperty("lockingNeedsApproval") Boolean lockingNeedsApproval) {
        return new ReleasePolicy(refuseMixedRelease == null || refuseMixedRelease, refuseBackfill == null || refuseBackfill,
                breakingNeedsApproval == null || breakingNeedsApproval, refuseLocking != null && refuseLocking,
                lockingNeedsApproval != null && lockingNeedsApproval);
    }

    public static ReleasePolicy defaults() {
        return new ReleasePolicy(true, true, true, false, false);
    }

    /** Reads a YAML policy file; keys left out keep their defaults, unknown keys are an error. */
    public static ReleasePolicy load(Path file) {
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                return defaults();
            }
            return Json.yaml().readerFor(ReleasePolicy.class)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(text);
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read the release policy " + file + ": " + e.getMessage()
                    + ". Keys: refuseMixedRelease, refuseBackfill, breakingNeedsApproval, refuseLocking, lockingNeedsApproval (true/false).");
        }
    }

    public ReleasePolicy withRefuseMixedRelease(boolean value) {
        return new ReleasePolicy(value, refuseBackfill, breakingNeedsApproval, refuseLocking, lockingNeedsApproval);
    }

    public ReleasePolicy withRefuseBackfill(boolean value) {
        return new ReleasePolicy(refuseMixedRelease, value, breakingNeedsApproval, refuseLocking, lockingNeedsApproval);
    }

    public PolicyDecision decide(ReleaseClassification release, boolean approveBreaking) {
        List<String> refusals = new ArrayList<>();
        List<String> approvals = new ArrayList<>();
        if (refuseMixedRelease && release.has(ChangeClass.BREAKING) && release.has(ChangeClass.NON_BREAKING)) {
            refusals.add("the release mixes breaking changes (" + list(release, ChangeClass.BREAKING) + ") with non-breaking ones ("
                    + list(release, ChangeClass.NON_BREAKING) + "): ship them separately, additive changes first");
        }
        if (refuseBackfill && release.has(ChangeClass.BACKFILL)) {
            refusals.add("the release holds a backfill (" + list(release, ChangeClass.BACKFILL)
                    + "): large data changes belong in a batch job (small batches, committed separately, throttled), not a migration");
        }
        if (refuseLocking && release.has(ChangeClass.LOCKING)) {
            refusals.add("the release rewrites a table or holds a write-blocking lock (" + list(release, ChangeClass.LOCKING)
                    + "): use the non-locking form (see docs/lint.md)");
        }
        if (breakingNeedsApproval && release.has(ChangeClass.BREAKING)) {
            approvals.add("breaking changes (" + list(release, ChangeClass.BREAKING) + ")");
        }
        if (lockingNeedsApproval && release.has(ChangeClass.LOCKING)) {
            approvals.add("locking changes (" + list(release, ChangeClass.LOCKING) + ")");
        }
        boolean needsApproval = !approvals.isEmpty();
        boolean allowed = refusals.isEmpty() && (!needsApproval || approveBreaking);
        return new PolicyDecision(allowed, List.copyOf(refusals), needsApproval, needsApproval && approveBreaking,
                List.copyOf(approvals), release.consumersMustPause(), release.pauseReasons(), release.classes());
    }

    private static String list(ReleaseClassification release, ChangeClass changeClass) {
        List<String> where = new ArrayList<>();
        for (MigrationClassification m : release.migrations()) {
            for (ClassifiedChange c : m.changes()) {
                if (c.classes().contains(changeClass)) {
                    where.add(shortName(c.file()) + ":" + c.line());
                }
            }
        }
        if (where.size() > 4) {
            return String.join(", ", where.subList(0, 4)) + " and " + (where.size() - 4) + " more";
        }
        return String.join(", ", where);
    }

    private static String shortName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return slash < 0 ? file : file.substring(slash + 1);
    }
}
