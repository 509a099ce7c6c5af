package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RequireConcurrentDetachPartitionTest {

    private static final String ID = RequireConcurrentDetachPartition.ID;

    @Test
    void plainDetach() {
        assertThat(findings(lint("ALTER TABLE events DETACH PARTITION events_2020;"), ID)).hasSize(1);
    }

    @Test
    void concurrentDetachAndAttachAreFine() {
        assertThat(findings(lint("ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;"), ID)).isEmpty();
        assertThat(findings(lint("ALTER TABLE events ATTACH PARTITION events_2027 FOR VALUES FROM (1) TO (2);"), ID)).isEmpty();
    }
}
