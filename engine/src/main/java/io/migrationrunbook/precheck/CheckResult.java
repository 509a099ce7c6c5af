package io.migrationrunbook.precheck;

import java.util.List;

/**
 * One pre-check.
 *
 * @param id      stable id ({@code naming}, {@code blockingSessions}, ...)
 * @param status  pass / warn / fail / skipped
 * @param summary one line: what was found
 * @param details one line per offending item (file, session, table), empty when there is none
 * @param fix     what to do about a warn or fail, or null
 */
public record CheckResult(String id, CheckStatus status, String summary, List<String> details, String fix) {

    public CheckResult {
        details = details == null ? List.of() : List.copyOf(details);
    }

    static CheckResult pass(String id, String summary) {
        return new CheckResult(id, CheckStatus.PASS, summary, List.of(), null);
    }

    static CheckResult skipped(String id, String why) {
        return new CheckResult(id, CheckStatus.SKIPPED, why, List.of(), null);
    }

    static CheckResult of(String id, CheckStatus status, String summary, List<String> details, String fix) {
        return new CheckResult(id, status, summary, details, status == CheckStatus.PASS ? null : fix);
    }
}
