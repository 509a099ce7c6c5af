package io.migrationrunbook.core;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Where long operations say what is running, how far they are and how long it took. The CLI sends
 * it to stderr (stdout is reserved for the result), a Jenkins step to the build log.
 */
@FunctionalInterface
public interface Progress {

    void report(String message);

    default void report(String format, Object... args) {
        report(String.format(format, args));
    }

    static Progress to(PrintStream stream) {
        return message -> {
            stream.println(message);
            stream.flush();
        };
    }

    static Progress silent() {
        return message -> { };
    }

    /** "1.2 s", "340 ms", "2 min 5 s": durations as an operator reads them. */
    static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format("%.1f s", ms / 1000.0);
        }
        return String.format("%d min %d s", ms / 60_000, (ms % 60_000) / 1000);
    }
}
