package io.migrationrunbook.precheck;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The verdict of one pre-check. Only {@link #FAIL} stops the release; {@link #SKIPPED} means the check could not run. */
public enum CheckStatus {
    PASS, WARN, FAIL, SKIPPED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two verdicts (FAIL over WARN over PASS; SKIPPED counts as PASS). */
    public static CheckStatus worst(CheckStatus a, CheckStatus b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(CheckStatus s) {
        return switch (s) {
            case FAIL -> 3;
            case WARN -> 2;
            case PASS -> 1;
            case SKIPPED -> 0;
        };
    }
}
