package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import io.migrationrunbook.schema.SnapshotSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code runbook snapshot}: the schema as the catalog sees it, as sorted JSON (and optionally a row-count baseline). */
@Command(name = "snapshot", description = "Write the schema (tables, columns, indexes, constraints, sequences, views) as JSON.")
public class SnapshotCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the snapshot JSON.")
    Path out;

    @Option(names = "--schemas", paramLabel = "SCHEMA", split = ",",
            description = "Schemas to read (default: every non-system schema).")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--with-row-counts",
            description = "Also count every table's rows exactly (a full scan of each table): the baseline for verify --row-counts.")
    boolean withRowCounts;

    @Override
    protected Outcome run(Progress progress) {
        DatabaseTarget target = db.target();
        progress.report("Reading the schema of %s%s ...", target.database(), withRowCounts ? " with exact row counts" : "");
        long started = System.nanoTime();
        SchemaSnapshot snapshot = SnapshotReader.read(target,
                SnapshotOptions.defaults().withSchemas(schemas).withRowCounts(withRowCounts), progress);
        snapshot.writeTo(out);
        SnapshotSummary summary = SnapshotSummary.of(snapshot, out.toString(), (System.nanoTime() - started) / 1_000_000);
        StringBuilder human = new StringBuilder(String.format(
                "Snapshot of %s written to %s: %d tables, %d columns, %d indexes, %d constraints, %d sequences, %d views%s",
                summary.database(), out, summary.tables(), summary.columns(), summary.indexes(), summary.constraints(),
                summary.sequences(), summary.views(), withRowCounts ? ", " + summary.totalRows() + " rows counted" : ""));
        summary.invalidIndexes().forEach(i -> human.append("\n  INVALID index ").append(i)
                .append(" (a failed CREATE INDEX CONCURRENTLY: drop it and build it again)"));
        summary.notValidatedConstraints().forEach(c -> human.append("\n  NOT VALID constraint ").append(c));
        return Outcome.passed(summary, human.toString());
    }
}
