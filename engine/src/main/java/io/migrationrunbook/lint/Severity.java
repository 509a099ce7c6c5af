package io.migrationrunbook.lint;

import com.fasterxml.jackson.annotation.JsonValue;
import io.migrationrunbook.core.RunbookException;

import java.util.Locale;

/** How bad a finding is; {@code --fail-on} picks the lowest one that fails the run. */
public enum Severity {
    ERROR, WARNING, INFO;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this severity is {@code threshold} or worse. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw RunbookException.configuration("Unknown severity '" + text + "': use error, warning or info.");
    }
}
