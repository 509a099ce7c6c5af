package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.CatalogFacts;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.lint.Severity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.migrationrunbook.lint.LintTesting.findings;
import static io.migrationrunbook.lint.LintTesting.lint;
import static org.assertj.core.api.Assertions.assertThat;

class ChangingColumnTypeTest {

    private static final String ID = ChangingColumnType.ID;

    private static final LintSettings KNOWN = LintSettings.defaults().withCatalog(CatalogFacts.of(
            Map.of("users", 10L, "orders", 10L),
            Map.of("users.email", "character varying(100)", "users.price", "numeric(10,2)", "orders.id", "integer")));

    @Test
    void rewritingTypeChanges() {
        assertThat(findings(lint("ALTER TABLE orders ALTER COLUMN id TYPE bigint;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.ERROR);
        assertThat(findings(lint("ALTER TABLE orders ALTER COLUMN id TYPE bigint;", KNOWN), ID)).singleElement()
                .matches(f -> f.message().contains("from integer to bigint"));
        assertThat(findings(lint("ALTER TABLE users ALTER COLUMN email TYPE varchar(50);", KNOWN), ID)).hasSize(1);
    }

    @Test
    void binaryCoercibleChangesAreFine() {
        assertThat(findings(lint("ALTER TABLE users ALTER COLUMN email TYPE varchar(200);", KNOWN), ID)).isEmpty();
        assertThat(findings(lint("ALTER TABLE users ALTER COLUMN email TYPE text;", KNOWN), ID)).isEmpty();
        assertThat(findings(lint("ALTER TABLE users ALTER COLUMN price TYPE numeric(14,2);", KNOWN), ID)).isEmpty();
        // the old type from an earlier statement of the run
        assertThat(findings(lint("ALTER TABLE orders ADD COLUMN code varchar(10); "
                + "ALTER TABLE orders ALTER COLUMN code TYPE varchar(20);"), ID)).isEmpty();
        // a table created in the same file has no readers yet
        assertThat(findings(lint("CREATE TABLE t (id int); ALTER TABLE t ALTER COLUMN id TYPE bigint;"), ID)).isEmpty();
    }

    @Test
    void unknownOldTypeWithATextTargetIsAWarning() {
        assertThat(findings(lint("ALTER TABLE orders ALTER COLUMN code TYPE text;"), ID)).singleElement()
                .matches(f -> f.severity() == Severity.WARNING);
    }
}
