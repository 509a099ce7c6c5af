package io.migrationrunbook.logs;

import java.time.Instant;
import java.util.List;

/**
 * How many events matched, a few of them to read, and whether that is within the allowed count.
 */
public record LogSearchResult(String source, String query, Instant from, Instant to, long count, List<String> samples) {

    /** The check the runbook makes: "Monitor logs for errors" with a threshold. */
    public record Verdict(LogSearchResult result, long maxAllowed, boolean passed, String message) {
    }

    public Verdict within(long maxAllowed) {
        boolean ok = count <= maxAllowed;
        String message = count + " event(s) matched `" + query + "` in " + source + " since " + from
                + (ok ? " (allowed: " + maxAllowed + ")" : " — more than the " + maxAllowed + " allowed");
        return new Verdict(this, maxAllowed, ok, message);
    }
}
