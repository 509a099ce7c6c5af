package io.migrationrunbook.smoke;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What {@code runbook smoke} / the {@code smokeTestApi} step found: every check with its correlation id, timings and
 * failures. Never holds a credential.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmokeResult(
        String baseUrl,
        boolean passed,
        int checksRun,
        int checksFailed,
        String correlationHeader,
        long durationMs,
        List<CheckResult> checks) {

    /** One check: passed or not, the correlation id every request of it carried, its requests and its failures. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckResult(
            String name,
            String type,
            boolean passed,
            String correlationId,
            long durationMs,
            List<RequestTiming> requests,
            List<String> failures) {
    }

    /**
     * One request of a check ({@code step}: request, repeat, poll, recheck): the final status, how many attempts
     * (retries after connection errors and 5xx), the last attempt's latency and, for a poll, how many queries it took.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestTiming(
            String step,
            String method,
            String path,
            Integer status,
            int attempts,
            long durationMs,
            Integer polls,
            String error) {
    }

    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(passed ? "Smoke checks passed: " : "Smoke checks FAILED: ")
                .append(checksRun - checksFailed).append('/').append(checksRun).append(" passed against ").append(baseUrl)
                .append(" (").append(durationMs).append(" ms)");
        for (CheckResult check : checks) {
            s.append("\n  ").append(check.passed() ? "PASS " : "FAIL ").append(check.name())
                    .append(" (").append(check.durationMs()).append(" ms, ").append(correlationHeader).append(": ").append(check.correlationId()).append(')');
            for (String failure : check.failures()) {
                s.append("\n       ").append(failure);
            }
        }
        return s.toString();
    }
}
