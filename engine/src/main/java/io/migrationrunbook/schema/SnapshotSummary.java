package io.migrationrunbook.schema;

import java.util.List;

/**
 * What {@code runbook snapshot} reports: where the snapshot went and what it holds, with the objects an operator
 * should look at right away (INVALID indexes, constraints not yet validated).
 */
public record SnapshotSummary(String file, String database, int tables, int columns, int indexes, int constraints,
                              int sequences, int views, boolean rowCounts, long totalRows,
                              List<String> invalidIndexes, List<String> notValidatedConstraints, long durationMs) {

    public static SnapshotSummary of(SchemaSnapshot snapshot, String file, long durationMs) {
        List<String> invalid = snapshot.tables().stream()
                .flatMap(t -> t.indexes().stream().filter(i -> !i.valid()).map(i -> SchemaSnapshot.qualify(t.schema(), i.name())))
                .toList();
        List<String> notValidated = snapshot.tables().stream()
                .flatMap(t -> t.constraints().stream().filter(c -> !c.validated()).map(c -> t.qualifiedName() + "." + c.name()))
                .toList();
        long rows = snapshot.rowCounts() == null ? 0 : snapshot.rowCounts().values().stream().mapToLong(Long::longValue).sum();
        return new SnapshotSummary(file, snapshot.database(), snapshot.tables().size(), snapshot.columnCount(),
                snapshot.indexCount(), snapshot.constraintCount(), snapshot.sequences().size(), snapshot.views().size(),
                snapshot.rowCounts() != null, rows, invalid, notValidated, durationMs);
    }
}
