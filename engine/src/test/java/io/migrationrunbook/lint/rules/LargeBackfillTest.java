package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class LargeBackfillTest {

    private static final String ID = LargeBackfill.ID;

    @Test
    void insertSelectFromALargeTable() {
        assertThat(findings(lintWithRows("INSERT INTO archive SELECT * FROM events WHERE created < now();",
                Map.of("events", 5_000_000L, "archive", 0L)), ID)).singleElement()
                .matches(f -> f.message().contains("events") && f.message().contains("5000000"));
    }

    @Test
    void smallSourcesValuesAndNoDatabaseAreFine() {
        assertThat(findings(lintWithRows("INSERT INTO archive SELECT * FROM events;", Map.of("events", 50L, "archive", 0L)), ID)).isEmpty();
        assertThat(findings(lint("INSERT INTO archive SELECT * FROM events;"), ID)).isEmpty();
        assertThat(findings(lintWithRows("INSERT INTO tiers VALUES (1), (2);", Map.of("tiers", 1L)), ID)).isEmpty();
    }

    @Test
    void largeCopyBlock() {
        StringBuilder sql = new StringBuilder("COPY tiers (name) FROM stdin;\n");
        for (int i = 0; i < 20; i++) {
            sql.append("tier").append(i).append("\n");
        }
        sql.append("\\.\n");
        assertThat(findings(lint(sql.toString(), io.migrationrunbook.lint.LintSettings.defaults().withBackfillRowThreshold(10)), ID))
                .singleElement().matches(f -> f.message().contains("20 rows (copy-data)"));
        assertThat(findings(lint(sql.toString()), ID)).isEmpty();
    }
}
