package io.migrationrunbook.precheck;

import java.time.Instant;
import java.util.List;

/**
 * A session of the target database in a transaction older than the threshold: DDL on a table it holds a lock on
 * queues behind it (and every later query on that table behind the DDL). The query text is left out on purpose: it
 * may carry data or secrets.
 *
 * @param pid            backend pid (to find it: {@code SELECT * FROM pg_stat_activity WHERE pid = ...}; to end it:
 *                       {@code pg_terminate_backend(pid)})
 * @param application    application_name
 * @param user           role
 * @param clientAddress  client address, or null for a Unix socket
 * @param state          {@code active}, {@code idle in transaction}, ...
 * @param transactionAgeSeconds how long its transaction has been open
 * @param transactionStart when it began
 * @param lockedTables   relations it holds a lock on ({@code schema.table (mode)})
 * @param blocksRelease  it holds a lock on a table the pending migrations change
 */
public record BlockingSession(int pid, String application, String user, String clientAddress, String state,
                              long transactionAgeSeconds, Instant transactionStart, List<String> lockedTables,
                              boolean blocksRelease) {
}
