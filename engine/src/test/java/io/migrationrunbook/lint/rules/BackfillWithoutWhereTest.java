package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class BackfillWithoutWhereTest {

    private static final String ID = BackfillWithoutWhere.ID;

    @Test
    void updateAndDeleteWithoutWhere() {
        assertThat(findings(lint("UPDATE users SET tier = 'basic';"), ID)).hasSize(1);
        assertThat(findings(lint("DELETE FROM sessions;"), ID)).hasSize(1);
        assertThat(findings(lint("WITH x AS (SELECT 1) UPDATE users SET a = 1;"), ID)).hasSize(1);
    }

    @Test
    void whereClauseSmallTableOrNewTableIsFine() {
        assertThat(findings(lint("UPDATE users SET tier = 'basic' WHERE tier IS NULL AND id < 100;"), ID)).isEmpty();
        assertThat(findings(lint("CREATE TABLE t (a int); UPDATE t SET a = 1;"), ID)).isEmpty();
        assertThat(findings(lintWithRows("UPDATE settings SET v = 1;", Map.of("settings", 12L)), ID)).isEmpty();
        assertThat(findings(lintWithRows("UPDATE users SET v = 1;", Map.of("users", 2_000_000L)), ID)).singleElement()
                .matches(f -> f.message().contains("2000000 rows (reltuples)"));
    }
}
