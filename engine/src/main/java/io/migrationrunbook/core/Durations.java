package io.migrationrunbook.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in flags and plans: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or ISO-8601 {@code PT30S}. */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw RunbookException.configuration("Empty duration: write it like 500ms, 30s, 5m or 2h.");
        }
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } catch (Exception e) {
                throw RunbookException.configuration("Bad duration '" + text + "': write it like 500ms, 30s, 5m or 2h.");
            }
        }
        Matcher m = SIMPLE.matcher(t);
        if (!m.matches()) {
            throw RunbookException.configuration("Bad duration '" + text + "': write it like 500ms, 30s, 5m or 2h.");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m", "min" -> value * 60_000;
            case "h" -> value * 3_600_000;
            case "d" -> value * 86_400_000;
            default -> throw new IllegalStateException(unit);
        };
        return Duration.ofMillis(Math.round(millis));
    }
}
