package io.migrationrunbook.verify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.migrationrunbook.schema.SchemaDiff;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link Verifier}: every check with its status, the counts, and (when an expected snapshot was
 * given) the structured drift.
 *
 * @param drift the differences between the expected snapshot and the database (after {@code ignoreExtras}); absent
 *              when no snapshot was compared
 */
@JsonIgnoreProperties(value = "reason", allowGetters = true)
public record VerificationReport(String database, boolean passed, Summary summary, List<Check> checks,
                                 List<SchemaDiff.Change> drift, long durationMs) {

    public record Summary(int total, int passed, int failed) {
    }

    public static VerificationReport of(String database, List<Check> checks, SchemaDiff drift, long durationMs) {
        int failed = (int) checks.stream().filter(c -> !c.passed()).count();
        return new VerificationReport(database, failed == 0, new Summary(checks.size(), checks.size() - failed, failed),
                List.copyOf(checks), drift == null ? null : drift.changes(), durationMs);
    }

    /**
     * One line naming the failed checks (absent when everything passed): what a pipeline step quotes when it fails.
     */
    @JsonProperty("reason")
    public String reason() {
        if (passed) {
            return null;
        }
        List<Check> failed = failures();
        String first = failed.stream().limit(3).map(c -> c.name() + ": " + c.details()).reduce((a, b) -> a + "; " + b).orElse("");
        return failed.size() + " of " + summary.total() + " checks failed: " + first + (failed.size() > 3 ? "; ..." : "");
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** Every check on one line (PASS/FAIL), failures followed by what differs; then the counts. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        for (Check check : checks) {
            text.append(check.passed() ? "PASS " : "FAIL ").append(check.name());
            if (check.details() != null && !check.passed()) {
                text.append(": ").append(check.details());
            }
            text.append('\n');
            if (check.differences() != null) {
                check.differences().forEach(d -> text.append("       - ").append(d).append('\n'));
            }
            if (check.rows() != null) {
                for (Map<String, String> row : check.rows()) {
                    text.append("       | ").append(row).append('\n');
                }
            }
        }
        text.append(String.format("%s: %d checks, %d passed, %d failed (%d ms)", passed ? "Verification passed" : "Verification FAILED",
                summary.total(), summary.passed(), summary.failed(), durationMs));
        return text.toString();
    }
}
