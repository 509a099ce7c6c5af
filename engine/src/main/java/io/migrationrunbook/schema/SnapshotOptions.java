package io.migrationrunbook.schema;

import io.migrationrunbook.core.RunbookException;

import java.time.Duration;
import java.util.List;

/**
 * What {@link SnapshotReader} reads. Immutable; the {@code withX} methods return a changed copy.
 *
 * @param schemas           the schemas to read; empty means every schema except the system ones
 *                          ({@code pg_catalog}, {@code information_schema}, {@code pg_toast*}, {@code pg_temp*})
 * @param withRowCounts     also count every table's rows exactly ({@code count(*)}: a full scan of every table, see
 *                          docs/verify.md for the cost)
 * @param rowCountBatchSize how many tables one counting query covers ({@code UNION ALL} of {@code count(*)})
 * @param rowCountLockTimeout how long a count may wait for its table's lock (a session holding an exclusive lock, e.g. a
 *                          migration's ALTER TABLE): a count must fail, not wait without end
 */
public record SnapshotOptions(List<String> schemas, boolean withRowCounts, int rowCountBatchSize, Duration rowCountLockTimeout) {

    public static final int DEFAULT_ROW_COUNT_BATCH_SIZE = 100;
    public static final Duration DEFAULT_ROW_COUNT_LOCK_TIMEOUT = Duration.ofSeconds(30);

    public SnapshotOptions {
        schemas = schemas == null ? List.of() : schemas.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (rowCountBatchSize < 1) {
            throw RunbookException.configuration("The row count batch size must be at least 1, got " + rowCountBatchSize + ".");
        }
        rowCountLockTimeout = rowCountLockTimeout == null ? DEFAULT_ROW_COUNT_LOCK_TIMEOUT : rowCountLockTimeout;
        if (rowCountLockTimeout.isNegative() || rowCountLockTimeout.isZero()) {
            throw RunbookException.configuration("The row count lock timeout must be positive, got " + rowCountLockTimeout + ".");
        }
    }

    public static SnapshotOptions defaults() {
        return new SnapshotOptions(List.of(), false, DEFAULT_ROW_COUNT_BATCH_SIZE, DEFAULT_ROW_COUNT_LOCK_TIMEOUT);
    }

    public SnapshotOptions withSchemas(List<String> newSchemas) {
        return new SnapshotOptions(newSchemas, withRowCounts, rowCountBatchSize, rowCountLockTimeout);
    }

    public SnapshotOptions withRowCounts(boolean newWithRowCounts) {
        return new SnapshotOptions(schemas, newWithRowCounts, rowCountBatchSize, rowCountLockTimeout);
    }

    public SnapshotOptions withRowCountBatchSize(int newBatchSize) {
        return new SnapshotOptions(schemas, withRowCounts, newBatchSize, rowCountLockTimeout);
    }

    public SnapshotOptions withRowCountLockTimeout(Duration newLockTimeout) {
        return new SnapshotOptions(schemas, withRowCounts, rowCountBatchSize, newLockTimeout);
    }
}
