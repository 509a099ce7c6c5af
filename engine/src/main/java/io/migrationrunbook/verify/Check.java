package io.migrationrunbook.verify;

import java.util.List;
import java.util.Map;

/**
 * One verification check and its outcome.
 *
 * @param name        what was checked, e.g. "index public.ix_events_corr exists and is valid"
 * @param category    {@code flyway}, {@code expectation}, {@code drift}, {@code rowCount} or {@code integrity}
 * @param status      PASSED or FAILED
 * @param details     one line: what was found (for a failure, what differs)
 * @param differences for a failure with several parts (drift of a table, several offending rows): one line each
 * @param rows        for a failed integrity assertion: the first offending rows, column name to value
 */
public record Check(String name, String category, Status status, String details, List<String> differences,
                    List<Map<String, String>> rows) {

    public enum Status { PASSED, FAILED }

    public Check {
        differences = differences == null || differences.isEmpty() ? null : List.copyOf(differences);
        rows = rows == null || rows.isEmpty() ? null : List.copyOf(rows);
    }

    public static Check passed(String category, String name, String details) {
        return new Check(name, category, Status.PASSED, details, null, null);
    }

    public static Check failed(String category, String name, String details) {
        return new Check(name, category, Status.FAILED, details, null, null);
    }

    public static Check failed(String category, String name, String details, List<String> differences) {
        return new Check(name, category, Status.FAILED, details, differences, null);
    }

    public boolean passed() {
        return status == Status.PASSED;
    }
}
