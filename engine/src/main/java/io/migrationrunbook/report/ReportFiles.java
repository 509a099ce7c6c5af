package io.migrationrunbook.report;

import io.migrationrunbook.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes {@code report.json} and {@code report.html} atomically (write aside, then rename) into a directory. */
public final class ReportFiles {

    public static final String JSON_FILE = "report.json";
    public static final String HTML_FILE = "report.html";

    private ReportFiles() {
    }

    public static Path write(RunReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        writeAtomically(directory.resolve(JSON_FILE), Json.writePretty(report));
        writeAtomically(directory.resolve(HTML_FILE), HtmlReport.render(report));
        return directory.resolve(JSON_FILE);
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
