package io.migrationrunbook.backup;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL client programs (pg_dump, pg_restore) the backup and restore engines run: where they are, which
 * version they are, and how they are started (libpq environment with a 0600 passfile, never a password argument).
 */
public final class PgTools {

    /** Environment variable naming the directory holding pg_dump and pg_restore (like {@code --pg-bin}). */
    public static final String BIN_VARIABLE = "RUNBOOK_PG_BIN";

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    private final Path binDirectory;
    private final String origin;
    private final Map<String, String> environment;

    private PgTools(Path binDirectory, String origin, Map<String, String> environment) {
        this.binDirectory = binDirectory;
        this.origin = origin;
        this.environment = environment;
    }

    /**
     * The tools in {@code binDirectory} when given, else in {@value #BIN_VARIABLE}, else on the PATH. Nothing is
     * checked here: {@link #require(String)} fails with a clear message when a program is missing.
     */
    public static PgTools locate(Path binDirectory) {
        return locate(binDirectory, System.getenv());
    }

    /** As {@link #locate(Path)}, reading {@value #BIN_VARIABLE} and PATH from {@code environment} (tests pass their own). */
    static PgTools locate(Path binDirectory, Map<String, String> environment) {
        if (binDirectory != null) {
            return new PgTools(binDirectory, "--pg-bin " + binDirectory, environment);
        }
        String fromEnv = environment.get(BIN_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new PgTools(Path.of(fromEnv), BIN_VARIABLE + "=" + fromEnv, environment);
        }
        return new PgTools(null, "PATH", environment);
    }

    /** The executable of {@code program}, or an ENVIRONMENT error naming where it was looked for and the fix. */
    public Path require(String program) {
        if (binDirectory != null) {
            Path candidate = binDirectory.resolve(program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        } else {
            String path = environment.get("PATH");
            if (path != null) {
                for (String dir : path.split(File.pathSeparator)) {
                    if (dir.isEmpty()) {
                        continue;
                    }
                    Path candidate = Path.of(dir, program);
                    if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        if (origin.startsWith(BIN_VARIABLE)) {
            // Nobody passed a flag here: the setting comes from the environment, which is where to fix it.
            throw RunbookException.environment(program + " was not found in " + binDirectory + ", the directory the environment "
                    + "variable " + BIN_VARIABLE + " names (" + origin + "). Point " + BIN_VARIABLE + " at the directory holding "
                    + program + " (e.g. /usr/lib/postgresql/15/bin), unset it to use the PATH, or pass --pg-bin DIR.");
        }
        throw RunbookException.environment(program + " was not found (looked in " + origin + "). Install the PostgreSQL "
                + "client tools (e.g. apt-get install postgresql-client) or point --pg-bin DIR / " + BIN_VARIABLE
                + " at the directory holding " + program + ".");
    }

    /** A tool's version as printed by {@code program --version}, e.g. 15.18. */
    public record ToolVersion(String program, Path executable, String text, int major, int minor) {
        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    public ToolVersion version(String program) {
        Path executable = require(program);
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw RunbookException.environment(executable + " --version did not answer within 30 s.");
            }
            return parseVersion(program, executable, out);
        } catch (IOException e) {
            throw RunbookException.environment("Cannot run " + executable + " (" + e.getMessage() + "): check that it is an "
                    + "executable PostgreSQL client program.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted while asking " + executable + " for its version.", e);
        }
    }

    static ToolVersion parseVersion(String program, Path executable, String output) {
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            throw RunbookException.environment(executable + " --version printed '" + output + "', not a PostgreSQL "
                    + "version: point --pg-bin at the PostgreSQL client tools.");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return new ToolVersion(program, executable, output, major, minor);
    }

    /** Refuses a client program older than the server's major version (pg_dump refuses it too, but later and less clearly). */
    static void requireAtLeastServer(ToolVersion tool, int serverMajor, String serverVersion) {
        if (tool.major() < serverMajor) {
            throw RunbookException.environment(tool.program() + " " + tool + " (" + tool.executable() + ") is older than the "
                    + "server (PostgreSQL " + serverVersion + ") and cannot handle it. Install the PostgreSQL " + serverMajor
                    + " client tools (e.g. postgresql-client-" + serverMajor + ") and point --pg-bin / " + BIN_VARIABLE
                    + " at their bin directory.");
        }
    }

    /** A started client program whose stderr is collected (its last 64 KiB) in the background. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final DatabaseTarget.LibpqEnvironment environment;
        private final Thread stderrReader;
        private final StringBuilder stderr = new StringBuilder();
        private final String program;

        private Running(String program, Process process, DatabaseTarget.LibpqEnvironment environment) {
            this.program = program;
            this.process = process;
            this.environment = environment;
            this.stderrReader = new Thread(this::readStderr, "runbook-" + program + "-stderr");
            this.stderrReader.setDaemon(true);
            this.stderrReader.start();
        }

        private void readStderr() {
            byte[] buffer = new byte[8192];
            try (InputStream in = process.getErrorStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (stderr) {
                        stderr.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        if (stderr.length() > 65536) {
                            stderr.delete(0, stderr.length() - 65536);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        }

        Process process() {
            return process;
        }

        long pid() {
            return process.pid();
        }

        boolean waitFor(long millis) throws InterruptedException {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        }

        /** Waits for the end of the process and of its stderr, returns the exit code. */
        int waitForExit() throws InterruptedException {
            int code = process.waitFor();
            stderrReader.join(5000);
            return code;
        }

        /** The collected stderr with the password replaced by ****. */
        String stderr(Secret password) {
            String text;
            synchronized (stderr) {
                text = stderr.toString().trim();
            }
            return password == null ? text : password.redact(text);
        }

        String program() {
            return program;
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            environment.close();
        }
    }

    /**
     * Starts {@code program args...} against {@code target}: connection facts and the password go through the
     * libpq environment (PGHOST.., PGPASSFILE), never through the arguments. stdout is discarded.
     */
    Running start(String program, DatabaseTarget target, List<String> args) {
        Path executable = require(program);
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        DatabaseTarget.LibpqEnvironment environment = target.libpqEnvironment();
        environment.applyTo(builder);
        try {
            return new Running(program, builder.start(), environment);
        } catch (IOException e) {
            environment.close();
            throw RunbookException.environment("Cannot start " + executable + ": " + e.getMessage() + ".", e);
        }
    }

    /**
     * Runs a program to completion and returns its stdout; a non-zero exit is an error with its (redacted) stderr.
     * {@code target} may be null for programs that only read files ({@code pg_restore --list}).
     */
    public String capture(String program, DatabaseTarget target, List<String> args) {
        Path executable = require(program);
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        try (DatabaseTarget.LibpqEnvironment environment = target == null
                ? new DatabaseTarget.LibpqEnvironment(java.util.Map.of(), null) : target.libpqEnvironment()) {
            environment.applyTo(builder);
            Path errFile = Files.createTempFile("runbook-" + program, ".err");
            try {
                builder.redirectError(errFile.toFile());
                Process process = builder.start();
                String out;
                try (InputStream in = process.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                int code = process.waitFor();
                if (code != 0) {
                    String err = Files.readString(errFile).trim();
                    throw RunbookException.environment(program + " " + String.join(" ", args) + " failed with exit code " + code
                            + ": " + (target == null ? err : target.redact(err)));
                }
                return out;
            } finally {
                Files.deleteIfExists(errFile);
            }
        } catch (IOException e) {
            throw RunbookException.environment("Cannot run " + executable + ": " + e.getMessage() + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted while running " + program + ".", e);
        }
    }

    /** Explains an exit code: 137 / 143 and negative codes mean a signal. */
    static String describeExit(int code) {
        if (code > 128 && code < 160) {
            return "was killed by signal " + (code - 128) + (code == 137 ? " (SIGKILL: out of memory or killed by an operator)" : "");
        }
        return "exited with code " + code;
    }
}
