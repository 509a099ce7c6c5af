package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static io.migrationrunbook.lint.LintTesting.lintWithRows;
import static org.assertj.core.api.Assertions.assertThat;

class RewritingAddColumnTest {

    private static final String ID = RewritingAddColumn.ID;

    @Test
    void volatileDefaultsSerialIdentityAndStoredGeneratedRewrite() {
        for (String column : new String[] {"token uuid DEFAULT gen_random_uuid()", "r float8 DEFAULT random()",
                "at timestamptz DEFAULT clock_timestamp()", "id bigserial", "n int GENERATED ALWAYS AS IDENTITY",
                "total numeric GENERATED ALWAYS AS (a * b) STORED", "s bigint DEFAULT nextval('seq')"}) {
            assertThat(findings(lint("ALTER TABLE orders ADD COLUMN " + column + ";"), ID)).as(column).hasSize(1)
                    .allMatch(f -> f.severity() == Severity.ERROR);
        }
    }

    @Test
    void stableAndConstantDefaultsDoNotRewrite() {
        for (String column : new String[] {"created timestamptz DEFAULT now()", "c timestamptz DEFAULT CURRENT_TIMESTAMP",
                "flag boolean NOT NULL DEFAULT false", "note text", "tags text[] DEFAULT '{}'::text[]",
                "meta jsonb DEFAULT jsonb_build_object()"}) {
            assertThat(findings(lint("ALTER TABLE orders ADD COLUMN " + column + ";"), ID)).as(column).isEmpty();
        }
    }

    @Test
    void unknownFunctionIsAWarningAndNewTablesAreExempt() {
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN c int DEFAULT my_fn();"), ID))
                .singleElement().matches(f -> f.severity() == Severity.WARNING);
        assertThat(findings(lint("CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();"), ID)).isEmpty();
    }
}
