package io.migrationrunbook.lint;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.lint.rules.UnparsedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The linter over a few hundred varied migration files (views, functions with dollar bodies, triggers, enums,
 * partitions, COPY blocks, E'' strings, nested comments, CRLF, a BOM, psql scripts): no crash, the same findings on
 * every run, and the counts recorded in lint-corpus/golden-counts.properties.
 */
class LintCorpusTest {

    static final int FILES = 300;
    static final long SEED = 20261126L;

    @TempDir
    Path dir;

    private Path writeCorpus() throws Exception {
        for (LintCorpus.CorpusFile file : LintCorpus.generate(FILES, SEED)) {
            Files.writeString(dir.resolve(file.name()), file.sql(), StandardCharsets.UTF_8);
        }
        Path handwritten = Path.of(getClass().getResource("/lint-corpus").toURI());
        try (Stream<Path> files = Files.list(handwritten)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void lintsTheCorpusWithoutCrashingAndWithStableGoldenCounts() throws Exception {
        Path corpus = writeCorpus();
        LintReport first = Linter.lint(List.of(corpus), LintSettings.defaults());
        LintReport second = Linter.lint(List.of(corpus), LintSettings.defaults());

        assertThat(Json.write(second.findings())).isEqualTo(Json.write(first.findings()));
        assertThat(Json.write(second.classification())).isEqualTo(Json.write(first.classification()));
        assertThat(first.summary().files()).isEqualTo(FILES + 7);
        // no rule failed on any statement
        assertThat(first.findings()).noneMatch(f -> f.message().contains("could not check"));
        // the only statement not understood is the deliberate one; the rest is dynamic SQL in DO blocks (EXECUTE)
        assertThat(first.findings()).filteredOn(f -> f.rule().equals(UnparsedStatement.ID)
                        && !f.message().contains("EXECUTE runs dynamic SQL"))
                .singleElement().matches(f -> f.message().contains("FROBNICATE"));

        Map<String, Integer> counts = new TreeMap<>();
        counts.put("files", first.summary().files());
        counts.put("statements", first.summary().statements());
        counts.put("suppressed", first.summary().suppressed());
        for (Finding f : first.findings()) {
            counts.merge("rule." + f.rule(), 1, Integer::sum);
        }
        first.classification().classes().forEach(c -> counts.put("class." + c.label(), 1));
        counts.put("migrations.pause", (int) first.classification().migrations().stream()
                .filter(m -> m.consumersMustPause()).count());
        assertThat(counts).as("golden counts (update lint-corpus/golden-counts.properties when a rule changes on purpose)")
                .isEqualTo(golden());
    }

    private static Map<String, Integer> golden() throws Exception {
        Properties p = new Properties();
        try (InputStream in = LintCorpusTest.class.getResourceAsStream("/lint-corpus/golden-counts.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        Map<String, Integer> golden = new TreeMap<>();
        p.forEach((k, v) -> golden.put(k.toString(), Integer.parseInt(v.toString().trim())));
        return golden;
    }
}
