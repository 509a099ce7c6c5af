package io.migrationrunbook.schema;

import io.migrationrunbook.core.RunbookException;

import java.util.List;

/**
 * What {@link SnapshotReader} reads. Immutable; the {@code withX} methods return a changed copy.
 *
 * @param schemas           the schemas to read; empty means every schema except the system ones
 *                          ({@code pg_catalog}, {@code information_schema}, {@code pg_toast*}, {@code pg_temp*})
 * @param withRowCounts     also count every table's rows exactly ({@code count(*)}: a full scan of every table, see
 *                          docs/verify.md for the cost)
 * @param rowCountBatchSize how many tables one counting query covers ({@code UNION ALL} of {@code count(*)})
 */
public record SnapshotOptions(List<String> schemas, boolean withRowCounts, int rowCountBatchSize) {

    public static final int DEFAULT_ROW_COUNT_BATCH_SIZE = 100;

    public SnapshotOptions {
        schemas = schemas == null ? List.of() : schemas.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (rowCountBatchSize < 1) {
            throw RunbookException.configuration("The row count batch size must be at least 1, got " + rowCountBatchSize + ".");
        }
    }

    public static SnapshotOptions defaults() {
        return new SnapshotOptions(List.of(), false, DEFAULT_ROW_COUNT_BATCH_SIZE);
    }

    public SnapshotOptions withSchemas(List<String> newSchemas) {
        return new SnapshotOptions(newSchemas, withRowCounts, rowCountBatchSize);
    }

    public SnapshotOptions withRowCounts(boolean newWithRowCounts) {
        return new SnapshotOptions(schemas, newWithRowCounts, rowCountBatchSize);
    }

    public SnapshotOptions withRowCountBatchSize(int newBatchSize) {
        return new SnapshotOptions(schemas, withRowCounts, newBatchSize);
    }
}
