package io.migrationrunbook.lint;

import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the corpus is valid PostgreSQL: every template of {@link LintCorpus} runs through psql against the corpus
 * schema on a real server, so the corpus test lints SQL PostgreSQL accepts.
 */
@ExtendWith(PostgresExtension.class)
class CorpusTemplatesPostgresTest {

    @Test
    void everyTemplateIsValidPostgresql(TestDatabase setup, @TempDir Path dir) throws Exception {
        setup.execute(LintCorpus.SETUP);
        PostgresServer server = setup.server();
        List<String> failures = new ArrayList<>();
        int n = 1;
        for (LintCorpus.Template template : LintCorpus.TEMPLATES) {
            String sql = template.sql().apply(n++);
            // transactional templates are rolled back so each one sees the same schema; the others are idempotent
            String script = template.transactional() ? "BEGIN;\n" + sql + "ROLLBACK;\n" : sql;
            Path file = dir.resolve(template.name() + ".sql");
            Files.writeString(file, script, StandardCharsets.UTF_8);
            String error = psql(server, setup.name(), file);
            if (error != null) {
                failures.add(template.name() + ": " + error);
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The hand-written DO-block and drop files are valid PostgreSQL too (they really run, then roll back). */
    @Test
    void theDoBlockAndDropCorpusFilesAreValidPostgresql(TestDatabase setup, @TempDir Path dir) throws Exception {
        setup.execute(LintCorpus.SETUP);
        for (String name : List.of("V9006__do_blocks.sql", "V9007__drop_objects.sql")) {
            Path source = Path.of(getClass().getResource("/lint-corpus/" + name).toURI());
            Path file = dir.resolve(name);
            Files.writeString(file, "BEGIN;\n" + Files.readString(source) + "ROLLBACK;\n", StandardCharsets.UTF_8);
            assertThat(psql(setup.server(), setup.name(), file)).as(name).isNull();
        }
    }

    private static String psql(PostgresServer server, String database, Path file) throws Exception {
        DatabaseTarget target = new DatabaseTarget(server.jdbcUrl(database), server.user(), Secret.of(server.password()));
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.toString())
                .redirectErrorStream(true);
        try (DatabaseTarget.LibpqEnvironment env = target.libpqEnvironment()) {
            env.applyTo(pb);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "psql timed out";
            }
            return p.exitValue() == 0 ? null : output.strip();
        }
    }
}
