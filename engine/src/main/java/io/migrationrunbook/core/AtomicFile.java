package io.migrationrunbook.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that a reader (or the next run after a crash) sees the old content or the new, never half of it: the
 * text goes to a hidden temporary file in the same directory, which is then renamed over the target. State files
 * (pause state, freeze holds), reports and snapshots are written this way.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** Writes {@code content} (UTF-8) to {@code file}, creating its directory; no temporary file is left behind. */
    public static void write(Path file, String content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // a file system without atomic rename: replacing is still better than writing in place
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
