package io.migrationrunbook.report;

import io.migrationrunbook.core.AtomicFile;
import io.migrationrunbook.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code report.json} and {@code report.html} atomically (write aside, then rename) into a directory. */
public final class ReportFiles {

    public static final String JSON_FILE = "report.json";
    public static final String HTML_FILE = "report.html";

    private ReportFiles() {
    }

    public static Path write(RunReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        AtomicFile.write(directory.resolve(JSON_FILE), Json.writePretty(report));
        AtomicFile.write(directory.resolve(HTML_FILE), HtmlReport.render(report));
        return directory.resolve(JSON_FILE);
    }
}
