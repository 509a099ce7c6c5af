package io.migrationrunbook.verify;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.schema.SchemaSnapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Verifier} checks. Immutable; start from {@link #none()} and add with the {@code withX} methods.
 *
 * @param expectations      the {@code --expect} file (tables, columns, indexes, constraints, flyway, integrity)
 * @param expectedSnapshot  the {@code --snapshot} file: a drift report of missing, extra and changed objects
 * @param ignoreExtras      do not fail on objects the database has and the expected snapshot has not
 * @param flywayVersion     the Flyway schema version the database must be at (overrides {@code flyway.version})
 * @param flywayTable       the schema history table ({@code flyway_schema_history}, may be {@code schema.table})
 * @param assertions        SQL queries that must return zero rows (plus the file's {@code integrity} section)
 * @param rowCountBaseline  a snapshot taken with row counts before the migration: no table may have fewer rows now
 * @param schemas           restricts the schema comparison to these schemas (empty: the expected snapshot's scope)
 * @param assertionTimeout  statement timeout of each integrity query: an assertion must not run for ever
 * @param rowsShown         how many offending rows a failed integrity assertion shows
 */
public record VerificationSettings(Expectations expectations, SchemaSnapshot expectedSnapshot, boolean ignoreExtras,
                                   String flywayVersion, String flywayTable, List<IntegrityAssertion> assertions,
                                   SchemaSnapshot rowCountBaseline, List<String> schemas, Duration assertionTimeout,
                                   int rowsShown) {

    public static final String DEFAULT_FLYWAY_TABLE = "flyway_schema_history";
    public static final Duration DEFAULT_ASSERTION_TIMEOUT = Duration.ofMinutes(1);
    public static final int DEFAULT_ROWS_SHOWN = 5;

    public VerificationSettings {
        expectations = expectations == null ? Expectations.none() : expectations;
        assertions = assertions == null ? List.of() : List.copyOf(assertions);
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
        assertionTimeout = assertionTimeout == null ? DEFAULT_ASSERTION_TIMEOUT : assertionTimeout;
        if (rowsShown < 1) {
            rowsShown = DEFAULT_ROWS_SHOWN;
        }
    }

    public static VerificationSettings none() {
        return new VerificationSettings(null, null, false, null, null, null, null, null, null, DEFAULT_ROWS_SHOWN);
    }

    public VerificationSettings withExpectations(Expectations value) {
        return new VerificationSettings(value, expectedSnapshot, ignoreExtras, flywayVersion, flywayTable, assertions,
                rowCountBaseline, schemas, assertionTimeout, rowsShown);
    }

    public VerificationSettings withExpectedSnapshot(SchemaSnapshot value) {
        return new VerificationSettings(expectations, value, ignoreExtras, flywayVersion, flywayTable, assertions,
                rowCountBaseline, schemas, assertionTimeout, rowsShown);
    }

    public VerificationSettings withIgnoreExtras(boolean value) {
        return new VerificationSettings(expectations, expectedSnapshot, value, flywayVersion, flywayTable, assertions,
                rowCountBaseline, schemas, assertionTimeout, rowsShown);
    }

    public VerificationSettings withFlywayVersion(String value) {
        return new VerificationSettings(expectations, expectedSnapshot, ignoreExtras, value, flywayTable, assertions,
                rowCountBaseline, schemas, assertionTimeout, rowsShown);
    }

    public VerificationSettings withFlywayTable(String value) {
        return new VerificationSettings(expectations, expectedSnapshot, ignoreExtras, flywayVersion, value, assertions,
                rowCountBaseline, schemas, assertionTimeout, rowsShown);
    }

    public VerificationSettings withAssertion(IntegrityAssertion value) {
        List<IntegrityAssertion> more = new ArrayList<>(assertions);
        more.add(value);
        return new VerificationSettings(expectations, expectedSnapshot, ignoreExtras, flywayVersion, flywayTable, more,
                rowCountBaseline, schemas, assertionTimeout, rowsShown);
    }

    public VerificationSettings withRowCountBaseline(SchemaSnapshot value) {
        return new VerificationSettings(expectations, expectedSnapshot, ignoreExtras, flywayVersion, flywayTable, assertions,
                value, schemas, assertionTimeout, rowsShown);
    }

    public VerificationSettings withSchemas(List<String> value) {
        return new VerificationSettings(expectations, expectedSnapshot, ignoreExtras, flywayVersion, flywayTable, assertions,
                rowCountBaseline, value, assertionTimeout, rowsShown);
    }

    public VerificationSettings withAssertionTimeout(Duration value) {
        return new VerificationSettings(expectations, expectedSnapshot, ignoreExtras, flywayVersion, flywayTable, assertions,
                rowCountBaseline, schemas, value, rowsShown);
    }

    /** The Flyway version to check: the explicit one, else the expectations file's. */
    public String effectiveFlywayVersion() {
        if (flywayVersion != null && !flywayVersion.isBlank()) {
            return flywayVersion.trim();
        }
        return expectations.flyway() == null ? null : expectations.flyway().version().trim();
    }

    public String effectiveFlywayTable() {
        if (flywayTable != null && !flywayTable.isBlank()) {
            return flywayTable.trim();
        }
        if (expectations.flyway() != null && expectations.flyway().table() != null && !expectations.flyway().table().isBlank()) {
            return expectations.flyway().table().trim();
        }
        return DEFAULT_FLYWAY_TABLE;
    }

    /** The command-line assertions, then the expectations file's integrity section. */
    public List<IntegrityAssertion> allAssertions() {
        List<IntegrityAssertion> all = new ArrayList<>(assertions);
        all.addAll(expectations.integrity());
        return all;
    }

    /** Rejects settings that would check nothing or cannot work, before connecting. */
    public void validate() {
        if (expectations.isEmpty() && expectedSnapshot == null && effectiveFlywayVersion() == null
                && assertions.isEmpty() && rowCountBaseline == null) {
            throw RunbookException.configuration("Nothing to verify: pass at least one of --expect FILE, --snapshot FILE, "
                    + "--flyway-version V, --assert SQL, --row-counts FILE.");
        }
        if (rowCountBaseline != null && rowCountBaseline.rowCounts() == null) {
            throw RunbookException.configuration("The row-count baseline holds no row counts: capture it with "
                    + "`runbook snapshot --with-row-counts --out FILE` before the migration.");
        }
        String version = effectiveFlywayVersion();
        if (version != null) {
            try {
                org.flywaydb.core.api.MigrationVersion.fromVersion(version);
            } catch (RuntimeException e) {
                throw RunbookException.configuration("'" + version + "' is not a Flyway version (e.g. 7, 1.2.3, 2024.01.15): "
                        + e.getMessage());
            }
        }
        for (IntegrityAssertion assertion : assertions) {
            if (assertion.sql() == null || assertion.sql().isBlank()) {
                throw RunbookException.configuration("An integrity assertion is empty: --assert needs a SQL query that must return zero rows.");
            }
        }
    }
}
