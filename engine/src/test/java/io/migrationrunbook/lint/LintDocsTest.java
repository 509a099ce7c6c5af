package io.migrationrunbook.lint;

import io.migrationrunbook.lint.rules.Rules;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/lint.md documents every rule with its severity, lock and anchors' equivalents. */
class LintDocsTest {

    @Test
    void everyRuleHasItsSectionInDocsLintMd() throws Exception {
        Path docs = Path.of("..", "docs", "lint.md");
        String text = Files.readString(docs);
        for (LintRule rule : Rules.all()) {
            int at = text.indexOf("### " + rule.id() + "\n");
            assertThat(at).as("section for " + rule.id()).isGreaterThanOrEqualTo(0);
            int end = text.indexOf("\n### ", at + 4);
            String section = text.substring(at, end < 0 ? text.length() : end);
            assertThat(section).as(rule.id()).contains("| severity | " + rule.severity().label())
                    .contains(rule.lock()).contains(rule.alternative());
            rule.squawk().forEach(name -> assertThat(section).as(rule.id()).contains("`" + name + "`"));
            rule.atlas().forEach(code -> assertThat(section).as(rule.id()).contains(code));
        }
    }
}
