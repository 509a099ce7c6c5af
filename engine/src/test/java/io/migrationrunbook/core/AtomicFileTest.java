package io.migrationrunbook.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFileTest {

    @Test
    void replacesTheFileCreatingItsDirectoryAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("state/pause-state.json");
        AtomicFile.write(file, "{\"status\":\"PAUSED\"}");
        AtomicFile.write(file, "{\"status\":\"RESUMED\"}");

        assertThat(Files.readString(file)).isEqualTo("{\"status\":\"RESUMED\"}");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFailedRenameKeepsWhatWasThereAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path blocked = dir.resolve("report.html");
        Files.createDirectory(blocked);
        Files.writeString(blocked.resolve("inside"), "x"); // a non-empty directory where the file should go: the rename fails

        assertThatThrownBy(() -> AtomicFile.write(blocked, "new")).isInstanceOf(IOException.class);
        assertThat(Files.readString(blocked.resolve("inside"))).isEqualTo("x");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(blocked);
        }
    }
}
