package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.verify.Expectations;
import io.migrationrunbook.verify.IntegrityAssertion;
import io.migrationrunbook.verify.VerificationReport;
import io.migrationrunbook.verify.VerificationSettings;
import io.migrationrunbook.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code runbook verify}: the schema after the migration is what it should be, and no data was lost. */
@Command(name = "verify", description = {
        "Check the schema and data after a migration: expectations, drift from a snapshot, Flyway version,",
        "integrity queries and a row-count baseline. Exit 1 when any check fails."})
public class VerifyCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--expect", paramLabel = "FILE", description = "YAML expectations (tables, columns, indexes, constraints, integrity).")
    Path expect;

    @Option(names = "--snapshot", paramLabel = "FILE", description = "Expected snapshot (runbook snapshot): report missing, extra and changed objects.")
    Path snapshot;

    @Option(names = "--ignore-extra", description = "With --snapshot: objects the database has beyond the snapshot are not a failure.")
    boolean ignoreExtra;

    @Option(names = "--flyway-version", paramLabel = "V", description = "The Flyway schema version the database must be at.")
    String flywayVersion;

    @Option(names = "--flyway-table", paramLabel = "[SCHEMA.]TABLE", description = "Flyway schema history table (default: flyway_schema_history).")
    String flywayTable;

    @Option(names = "--assert", paramLabel = "SQL", description = "A query that must return zero rows (repeatable).")
    List<String> assertions = new ArrayList<>();

    @Option(names = "--assert-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Statement timeout of each integrity query (default: ${DEFAULT-VALUE}).")
    long assertTimeoutSeconds;

    @Option(names = "--row-counts", paramLabel = "FILE", description = "Baseline from `runbook snapshot --with-row-counts`: no table may have lost rows.")
    Path rowCounts;

    @Option(names = "--schemas", paramLabel = "SCHEMA", split = ",", description = "Compare only these schemas.")
    List<String> schemas = new ArrayList<>();

    @Override
    protected Outcome run(Progress progress) {
        // every input is read and checked before connecting
        VerificationSettings settings = VerificationSettings.none()
                .withIgnoreExtras(ignoreExtra)
                .withFlywayVersion(flywayVersion)
                .withFlywayTable(flywayTable)
                .withSchemas(schemas)
                .withAssertionTimeout(Duration.ofSeconds(Math.max(1, assertTimeoutSeconds)));
        if (expect != null) {
            settings = settings.withExpectations(Expectations.read(expect));
        }
        if (snapshot != null) {
            settings = settings.withExpectedSnapshot(SchemaSnapshot.readFrom(snapshot));
        }
        if (rowCounts != null) {
            settings = settings.withRowCountBaseline(SchemaSnapshot.readFrom(rowCounts));
        }
        for (String sql : assertions) {
            settings = settings.withAssertion(IntegrityAssertion.of(sql));
        }
        settings.validate();
        DatabaseTarget target = db.target();
        progress.report("Verifying %s ...", target.database());
        VerificationReport report = Verifier.verify(target, settings, progress);
        return Outcome.of(report, report.passed(), report.toText());
    }
}
