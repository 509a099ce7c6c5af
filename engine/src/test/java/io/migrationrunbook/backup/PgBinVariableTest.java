package io.migrationrunbook.backup;

import io.migrationrunbook.core.RunbookException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@value PgTools#BIN_VARIABLE} is honoured: the tools are taken from the directory it names (wrapper scripts that
 * record their calls and exec the machine's real tools), it loses to {@code --pg-bin}, and a directory without
 * pg_dump is an ENVIRONMENT error naming the variable and the fix. The environment is passed in; the CLI's
 * BackupRestoreCommandTest runs a child process with the real variable.
 */
class PgBinVariableTest {

    @TempDir
    Path dir;

    /** Wrappers for pg_dump and pg_restore in {@code dir/wrappers} that append "program args" to {@code log}, then exec the real one. */
    static Path wrappers(Path dir, Path log) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("wrappers"));
        PgTools real = PgTools.locate(null); // the machine's own tools, wherever the usual lookup finds them
        for (String program : List.of("pg_dump", "pg_restore")) {
            Path script = bin.resolve(program);
            Files.writeString(script, "#!/bin/sh\necho \"" + program + " $*\" >> '" + log + "'\nexec '" + real.require(program)
                    + "' \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void theVariablesDirectoryIsWhereTheToolsAreTaken() throws Exception {
        Path log = dir.resolve("calls.log");
        Path bin = wrappers(dir, log);
        PgTools tools = PgTools.locate(null, Map.of(PgTools.BIN_VARIABLE, bin.toString(), "PATH", System.getenv("PATH")));

        assertThat(tools.require("pg_dump")).isEqualTo(bin.resolve("pg_dump"));
        PgTools.ToolVersion version = tools.version("pg_restore");
        assertThat(version.executable()).isEqualTo(bin.resolve("pg_restore"));
        assertThat(version.major()).isGreaterThanOrEqualTo(15);
        assertThat(Files.readAllLines(log)).containsExactly("pg_restore --version");
    }

    @Test
    void pgBinWinsOverTheVariableAndABlankVariableMeansThePath() throws Exception {
        Path bin = wrappers(dir, dir.resolve("calls.log"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Map<String, String> env = Map.of(PgTools.BIN_VARIABLE, other.toString(), "PATH", bin.toString());

        assertThat(PgTools.locate(bin, env).require("pg_dump")).isEqualTo(bin.resolve("pg_dump"));
        assertThat(PgTools.locate(null, Map.of(PgTools.BIN_VARIABLE, " ", "PATH", bin.toString())).require("pg_dump"))
                .isEqualTo(bin.resolve("pg_dump"));
    }

    @Test
    void aVariableNamingADirectoryWithoutPgDumpIsAnEnvironmentErrorNamingTheVariableAndTheFix() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        // pg_dump is on the PATH, but the variable says where to look: no silent fallback to another binary
        PgTools tools = PgTools.locate(null, Map.of(PgTools.BIN_VARIABLE, empty.toString(), "PATH", System.getenv("PATH")));

        assertThatThrownBy(() -> tools.version("pg_dump"))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                .hasMessageContaining("pg_dump was not found in " + empty)
                .hasMessageContaining("environment variable " + PgTools.BIN_VARIABLE)
                .hasMessageContaining("Point " + PgTools.BIN_VARIABLE + " at the directory holding pg_dump")
                .hasMessageContaining("unset it to use the PATH");
    }
}
