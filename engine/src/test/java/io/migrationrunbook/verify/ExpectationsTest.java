package io.migrationrunbook.verify;

import io.migrationrunbook.core.RunbookException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectationsTest {

    /** The example of docs/verify.md. */
    static final String EXAMPLE = """
            tables:
              processed_events:
                columns:
                  - event_id
                  - name: correlation_id
                    type: text
                    nullable: true
                  - name: amount
                    type: numeric(12,2)
                    nullable: false
                    default: "0"
                absentColumns: [legacy_flag]
                indexes:
                  - ix_processed_events_corr
                  - name: uq_processed_events_event
                    unique: true
                    columns: [event_id]
                constraints:
                  - processed_events_portfolio_id_fkey
                  - name: ck_amount_positive
                    type: CHECK
                    validated: false
              old_events:
                absent: true
            sequences: [invoice_numbers]
            views: [recent_events]
            flyway:
              version: "3"
            integrity:
              - name: every event belongs to a portfolio
                sql: |
                  SELECT e.id, e.portfolio_id FROM processed_events e
                  LEFT JOIN portfolios p ON p.id = e.portfolio_id WHERE p.id IS NULL
            """;

    @Test
    void parsesTheDocumentedExample() {
        Expectations e = Expectations.parse(EXAMPLE, "expect.yaml");
        Expectations.TableExpectation events = e.tables().get("processed_events");
        assertThat(events.columns()).containsExactly(
                new Expectations.ColumnExpectation("event_id", null, null, null),
                new Expectations.ColumnExpectation("correlation_id", "text", true, null),
                new Expectations.ColumnExpectation("amount", "numeric(12,2)", false, "0"));
        assertThat(events.absentColumns()).containsExactly("legacy_flag");
        assertThat(events.indexes().get(1)).isEqualTo(new Expectations.IndexExpectation("uq_processed_events_event", true,
                java.util.List.of("event_id")));
        assertThat(events.constraints().get(0).mustBeValidated()).isTrue();
        assertThat(events.constraints().get(1).mustBeValidated()).isFalse();
        assertThat(e.tables().get("old_events").mustBeAbsent()).isTrue();
        assertThat(e.sequences()).containsExactly("invoice_numbers");
        assertThat(e.flyway().version()).isEqualTo("3");
        assertThat(e.integrity()).hasSize(1);
        assertThat(e.integrity().get(0).displayName()).isEqualTo("every event belongs to a portfolio");
    }

    @Test
    void aTableWithNoBodyMustJustExist() {
        Expectations e = Expectations.parse("tables:\n  processed_events:\n", "x.yaml");
        assertThat(e.tables().get("processed_events").mustBeAbsent()).isFalse();
        assertThat(e.tables().get("processed_events").columns()).isEmpty();
    }

    @Test
    void unknownKeysAreNamedWithWhereTheyAreAndWhatIsAllowed() {
        assertThatThrownBy(() -> Expectations.parse("tables:\n  processed_events:\n    colums: [a]\n", "expect.yaml"))
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("Unknown key 'colums' in expect.yaml under 'tables.processed_events' (line 3)")
                .hasMessageContaining("absentColumns, columns, constraints, indexes")
                .satisfies(ex -> assertThat(((RunbookException) ex).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION));
        assertThatThrownBy(() -> Expectations.parse("tabels: {}\n", "expect.yaml"))
                .hasMessageContaining("Unknown key 'tabels' in expect.yaml (line 1)");
        assertThatThrownBy(() -> Expectations.parse("tables:\n  t:\n    columns:\n      - name: a\n        nullabel: true\n", "e.yaml"))
                .hasMessageContaining("Unknown key 'nullabel'").hasMessageContaining("tables.t.columns[0]");
    }

    @Test
    void badValuesAndIncompleteEntriesAreConfigurationErrors() {
        assertThatThrownBy(() -> Expectations.parse("tables:\n  t:\n    columns: 5\n", "e.yaml"))
                .hasMessageContaining("Invalid value in e.yaml at 'tables.t.columns' (line 3): expected a list");
        assertThatThrownBy(() -> Expectations.parse("tables:\n  t:\n    columns:\n      - name: a\n        nullable: [x]\n", "e.yaml"))
                .hasMessageContaining("at 'tables.t.columns[0].nullable'");
        assertThatThrownBy(() -> Expectations.parse("integrity:\n  - name: x\n", "e.yaml"))
                .hasMessageContaining("integrity[0] in e.yaml has no 'sql'");
        assertThatThrownBy(() -> Expectations.parse("tables:\n  t:\n    absent: true\n    columns: [a]\n", "e.yaml"))
                .hasMessageContaining("'absent: true' and also columns");
        assertThatThrownBy(() -> Expectations.parse("", "e.yaml")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> Expectations.parse("tables: \"unterminated\n", "e.yaml")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> Expectations.parse("flyway: { table: x }\n", "e.yaml")).hasMessageContaining("needs a 'version'");
    }

    @Test
    void typeAliasesNormalizeToFormatType() {
        assertThat(ExpectationChecks.normalizeType("VARCHAR(64)")).isEqualTo("character varying(64)");
        assertThat(ExpectationChecks.normalizeType("int")).isEqualTo("integer");
        assertThat(ExpectationChecks.normalizeType("timestamptz")).isEqualTo("timestamp with time zone");
        assertThat(ExpectationChecks.normalizeType("timestamptz(3)")).isEqualTo("timestamp(3) with time zone");
        assertThat(ExpectationChecks.normalizeType("timestamp(3) with time zone")).isEqualTo("timestamp(3) with time zone");
        assertThat(ExpectationChecks.normalizeType("numeric(12, 2)")).isEqualTo("numeric(12,2)");
        assertThat(ExpectationChecks.normalizeType("int[]")).isEqualTo("integer[]");
        assertThat(ExpectationChecks.normalizeType("text")).isEqualTo("text");
    }
}
