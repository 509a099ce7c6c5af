package io.migrationrunbook.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code runbook ...} as a real child process on this JVM's classpath, run in {@code dir} with stdout and stderr in
 * {@code dir/cli-out.txt} and {@code dir/cli-err.txt}. The CLI's own classes and resources come first, so the child
 * logs with the CLI's shipped logging configuration, not the test one (which comes first on the test classpath).
 */
final class CliProcess {

    private CliProcess() {
    }

    static Process start(Path dir, String... args) throws Exception {
        return start(dir, Map.of(), args);
    }

    /** As {@link #start(Path, String...)} with {@code environment} added to this JVM's environment. */
    static Process start(Path dir, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), RunbookCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder.directory(dir.toFile())
                .redirectOutput(dir.resolve("cli-out.txt").toFile()).redirectError(dir.resolve("cli-err.txt").toFile()).start();
    }

    static String stdout(Path dir) throws Exception {
        return Files.readString(dir.resolve("cli-out.txt"));
    }

    static String stderr(Path dir) throws Exception {
        return Files.readString(dir.resolve("cli-err.txt"));
    }

    private static String classpath() throws URISyntaxException {
        String cliClasses = Path.of(RunbookCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> entries = new ArrayList<>(List.of(cliClasses));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).filter(e -> !e.equals(cliClasses))
                .forEach(entries::add);
        return String.join(File.pathSeparator, entries);
    }
}
