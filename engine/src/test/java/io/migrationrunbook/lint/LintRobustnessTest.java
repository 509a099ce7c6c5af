package io.migrationrunbook.lint;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Truncated, spliced and garbled SQL never makes the linter throw: the worst outcome is an info finding. */
class LintRobustnessTest {

    @Test
    void cutAndSplicedCorpusFilesNeverThrow() {
        List<LintCorpus.CorpusFile> corpus = LintCorpus.generate(120, 7L);
        Random random = new Random(99);
        int linted = 0;
        for (LintCorpus.CorpusFile file : corpus) {
            String sql = file.sql();
            for (int k = 0; k < 4; k++) {
                int a = random.nextInt(sql.length() + 1);
                int b = random.nextInt(sql.length() + 1);
                String mutated = switch (k) {
                    case 0 -> sql.substring(0, a);                                  // cut anywhere
                    case 1 -> sql.substring(Math.min(a, b));                         // start anywhere
                    case 2 -> sql.substring(0, Math.min(a, b)) + sql.substring(Math.max(a, b)); // remove a slice
                    default -> sql.substring(0, a) + "'$$/*\"" + sql.substring(a);   // inject openers
                };
                LintReport report = Linter.lintSql(file.name(), mutated, LintSettings.defaults());
                assertThat(report.summary()).isNotNull();
                assertThat(report.findings()).noneMatch(f -> f.message().contains("could not check") || f.message().contains("could not classify"));
                linted++;
            }
        }
        assertThat(linted).isEqualTo(480);
    }

    @Test
    void lonelyKeywordsAndPunctuation() {
        for (String sql : new String[] {"DROP;", "ALTER TABLE;", "ALTER TABLE t;", "CREATE;", "CREATE INDEX;", "UPDATE;",
                "INSERT INTO;", "WITH;", "COPY;", "COPY t FROM stdin;", "REINDEX;", "VACUUM (;", ");", "(((", "$1;",
                "ALTER TABLE t ADD;", "ALTER TABLE t ALTER COLUMN;", "ALTER TABLE t ADD CONSTRAINT;", "TRUNCATE;",
                "CREATE TABLE t (;", "CREATE TABLE t (a);", "DELETE FROM;", "MERGE INTO t USING;", "E'", "U&'", "\\.",
                "ALTER TABLE t RENAME;", "ALTER TABLE t DETACH PARTITION;", "CLUSTER;", "REFRESH;", "LOCK;"}) {
            LintReport report = Linter.lintSql("V1__x.sql", sql, LintSettings.defaults());
            assertThat(report.findings()).as(sql).noneMatch(f -> f.message().contains("could not check") || f.message().contains("could not classify"));
        }
    }
}
