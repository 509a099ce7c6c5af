package io.migrationrunbook.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary directories the embedded servers make for themselves, and take away again. */
final class TemporaryDirectories {

    private TemporaryDirectories() {
    }

    /** Deletes the directory and everything under it, best effort: what cannot be deleted stays. */
    static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory: a leftover is harmless, an exception here would hide the caller's real outcome
        }
    }
}
