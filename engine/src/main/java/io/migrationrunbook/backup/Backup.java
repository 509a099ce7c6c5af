package io.migrationrunbook.backup;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.db.ServerInfo;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code dbBackup} engine: a verified pg_dump archive with a SHA-256 and a sidecar of metadata.
 *
 * <p>Order of work: every check that can fail without touching anything (settings, destination, tools, versions,
 * free space) runs first. Then one REPEATABLE READ transaction exports its snapshot and pg_dump dumps exactly that
 * snapshot ({@code --snapshot}) while the transaction counts the rows of every table, so the counts in the sidecar
 * describe the dumped data exactly. pg_dump writes under a hidden temporary name in the destination directory; the
 * archive is verified with {@code pg_restore --list}, hashed, and only then renamed to its final name. Any failure
 * removes the temporary file.
 */
public final class Backup {

    private Backup() {
    }

    public static BackupResult run(DatabaseTarget target, BackupSettings settings, Progress progress) {
        settings.validate();
        Path out = settings.out().toAbsolutePath().normalize();
        Path sidecar = BackupMetadata.sidecarOf(out);
        Path directory = out.getParent();
        refuseExisting(out, sidecar);
        requireWritableDirectory(directory);

        PgTools tools = PgTools.locate(settings.pgBin());
        PgTools.ToolVersion pgDump = tools.version("pg_dump");
        tools.require("pg_restore");

        Instant started = Instant.now();
        try (Connection connection = target.connect()) {
            ServerInfo server = ServerInfo.read(connection);
            PgTools.requireAtLeastServer(pgDump, server.majorVersion(), server.serverVersion());
            requireFreeSpace(directory, server.databaseSizeBytes(), settings.freeSpaceFactor());
            progress.report("Backing up %s (%s, PostgreSQL %s) with pg_dump %s, %s format%s, to %s", server.database(),
                    human(server.databaseSizeBytes()), server.serverVersion(), pgDump, settings.format().name().toLowerCase(),
                    settings.jobs() > 1 ? ", " + settings.jobs() + " jobs" : "", out);
            return dump(target, settings, progress, tools, pgDump, server, connection, out, sidecar, started);
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "backing it up (reading its tables and Flyway version in the dump's snapshot)", BACKUP_AGAIN,
                    () -> RunbookException.environment("Backup of " + target.database() + " failed reading the database: "
                    + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ").", e));
        }
    }

    private static BackupResult dump(DatabaseTarget target, BackupSettings settings, Progress progress, PgTools tools,
                                     PgTools.ToolVersion pgDump, ServerInfo server, Connection connection, Path out,
                                     Path sidecar, Instant started) throws SQLException {
        Path temporary = out.resolveSibling("." + out.getFileName() + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
        Path temporarySidecar = sidecar.resolveSibling("." + sidecar.getFileName() + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
        boolean completed = false;
        ScheduledExecutorService ticker = null;
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            String snapshot;
            try (Statement s = connection.createStatement()) {
                if (settings.lockWaitTimeout() != null) {
                    s.execute("SET LOCAL lock_timeout = '" + settings.lockWaitTimeout().toMillis() + "ms'");
                }
                try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
            }
            List<DatabaseFacts.Table> tables = DatabaseFacts.tables(connection);
            String flywayVersion = DatabaseFacts.flywayVersion(connection);
            DatabaseLocale locale = DatabaseFacts.locale(connection);

            List<String> args = new ArrayList<>();
            args.add("--format=" + settings.format().pgDumpFlag());
            args.add("--file=" + temporary);
            args.add("--snapshot=" + snapshot);
            args.add("--no-password");
            if (settings.jobs() > 1) {
                args.add("--jobs=" + settings.jobs());
            }
            if (settings.lockWaitTimeout() != null) {
                args.add("--lock-wait-timeout=" + settings.lockWaitTimeout().toMillis());
            }
            Instant dumpStarted = Instant.now();
            progress.report("Running pg_dump (snapshot %s, %d tables)", snapshot, tables.size());
            try (PgTools.Running running = tools.start("pg_dump", target, args)) {
                ticker = startTicker(settings.progressInterval(), temporary, dumpStarted, progress);
                // Counting while pg_dump runs: same snapshot, other core; the transaction must stay open anyway.
                Map<String, Long> rowCounts;
                try {
                    Instant countStarted = Instant.now();
                    rowCounts = DatabaseFacts.rowCounts(connection, tables);
                    progress.report("Row counts of %d tables read in the dump's snapshot in %s", rowCounts.size(),
                            Progress.format(Duration.between(countStarted, Instant.now())));
                } catch (SQLException e) {
                    RunbookException lost = target.lostConnection(e, "counting the rows of its tables in the dump's snapshot "
                            + "(while pg_dump ran; pg_dump was stopped)", BACKUP_AGAIN);
                    if (lost != null) {
                        throw lost; // the server went away: pg_dump's own error would only say so too
                    }
                    // The count's error aborted the transaction, which ends the snapshot it exported: a pg_dump that had
                    // not imported it yet fails with "could not import the requested snapshot", which hides the cause.
                    long graceMs = 2000 + (settings.lockWaitTimeout() == null ? 0 : settings.lockWaitTimeout().toMillis());
                    Integer exit = running.waitFor(graceMs) ? running.waitForExit() : null;
                    throw rowCountFailed(e, target.user(), exit, exit == null || exit == 0 ? null : running.stderr(target.password()));
                }
                int exit = running.waitForExit();
                ticker.shutdownNow();
                if (exit != 0) {
                    throw pgDumpFailed(exit, running.stderr(target.password()));
                }
                connection.commit();
                Duration dumpDuration = Duration.between(dumpStarted, Instant.now());
                progress.report("pg_dump done: %s in %s", human(Checksums.size(temporary)), Progress.format(dumpDuration));

                progress.report("Verifying the archive with pg_restore --list and computing its SHA-256");
                Instant verifyStarted = Instant.now();
                // pg_restore reads the TOC while this thread hashes the archive: both only read it.
                CompletableFuture<String> listing = CompletableFuture.supplyAsync(
                        () -> tools.capture("pg_restore", null, List.of("--list", temporary.toString())));
                String sha256 = Checksums.sha256(temporary);
                long size = Checksums.size(temporary);
                verify(Toc.parse(join(listing)), tables, rowCounts);
                progress.report("Verified %d tables in the archive's TOC and its SHA-256 in %s", tables.size(),
                        Progress.format(Duration.between(verifyStarted, Instant.now())));
                Instant finished = Instant.now();
                long durationMs = Duration.between(started, finished).toMillis();
                BackupMetadata metadata = new BackupMetadata(BackupMetadata.TOOL, BackupMetadata.VERSION, out.getFileName().toString(),
                        settings.format(), server.database(), target.host(), target.port(), server.serverVersion(),
                        pgDump.toString(), size, sha256, durationMs, flywayVersion, started, finished,
                        tables.stream().map(DatabaseFacts.Table::qualifiedName).toList(), rowCounts, locale);
                Files.writeString(temporarySidecar, Json.writePretty(metadata) + "\n");
                publish(temporary, out, temporarySidecar, sidecar);
                completed = true;
                progress.report("Backup verified and complete: %s (%s, sha256 %s) in %s", out, human(size), sha256,
                        Progress.format(Duration.ofMillis(durationMs)));

                List<String> removed = settings.keep() == null ? List.of()
                        : Retention.apply(out.getParent(), server.database(), settings.keep(), out, progress);
                return new BackupResult(out.toString(), sidecar.toString(), settings.format(), sha256, size, durationMs, true,
                        tables.size(), server.database(), flywayVersion, removed, metadata);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("The backup was interrupted; pg_dump was stopped and the partial backup removed.", e);
        } catch (IOException e) {
            throw RunbookException.environment("Writing the backup to " + out.getParent() + " failed: " + e.getMessage()
                    + ". The partial backup was removed; check the free space and permissions of the destination.", e);
        } finally {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            if (!completed) {
                deleteQuietly(temporary);
                deleteQuietly(temporarySidecar);
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is closed by the caller either way
                }
            }
        }
    }

    private static String join(CompletableFuture<String> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static RunbookException pgDumpFailed(int exit, String stderr) {
        return RunbookException.environment("pg_dump " + PgTools.describeExit(exit) + "; the partial backup was removed. "
                + (stderr.isEmpty() ? "pg_dump printed nothing." : "pg_dump said: " + stderr) + hint(stderr));
    }

    /**
     * The backup's row count (in the transaction whose snapshot pg_dump imports) failed. When pg_dump then failed only
     * because that snapshot was gone, the count's error is the cause and leads; when pg_dump failed for a reason of its
     * own, its error leads and the count's follows. {@code exit} is null while pg_dump still runs (it is stopped).
     */
    static RunbookException rowCountFailed(SQLException e, String user, Integer exit, String pgDumpError) {
        String table = e instanceof DatabaseFacts.RowCountFailed failed ? failed.table() : null;
        String cause = "counting the rows" + (table == null ? "" : " of " + table) + " in the dump's snapshot failed: "
                + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")";
        String fix = countFix(e.getSQLState(), table, user);
        if (exit != null && pgDumpError != null && !pgDumpError.isEmpty() && !lostSnapshot(pgDumpError)) {
            return RunbookException.environment(pgDumpFailed(exit, pgDumpError).getMessage() + " Also, " + cause + "." + fix, e);
        }
        String pgDump = exit == null ? "pg_dump was stopped"
                : exit == 0 ? "The archive pg_dump wrote was discarded (its row counts are unknown)"
                : "pg_dump " + PgTools.describeExit(exit) + (pgDumpError == null || pgDumpError.isEmpty() ? ""
                : " because that error ended the snapshot it imports (pg_dump said: " + pgDumpError + ")");
        return RunbookException.environment("The backup failed: " + cause + "." + fix + " " + pgDump
                + "; the partial backup was removed.", e);
    }

    /** pg_dump's words for a --snapshot that no longer exists (the exporting transaction ended or failed). */
    static boolean lostSnapshot(String pgDumpError) {
        String lower = pgDumpError.toLowerCase();
        return lower.contains("could not import the requested snapshot") || lower.contains("invalid snapshot identifier");
    }

    private static String countFix(String sqlState, String table, String user) {
        if ("42501".equals(sqlState)) {
            return " " + (user == null ? "The backup role" : "The role " + user) + " may not read " + (table == null ? "a table" : table) + ": " + PRIVILEGE_FIX;
        }
        if ("55P03".equals(sqlState)) {
            return " A session holds a conflicting lock; retry when it is done or raise --lock-wait-timeout.";
        }
        return "";
    }

    private static final String BACKUP_AGAIN = "run the backup again: the partial backup was removed, and a backup changes nothing "
            + "in the database.";

    private static final String PRIVILEGE_FIX = "grant SELECT on every table to the backup role (GRANT SELECT ON ALL TABLES "
            + "IN SCHEMA ... TO ...) or use a role that can read every table (e.g. a member of pg_read_all_data).";

    /** Every table must be in the TOC, and every table with rows must have its data entry. */
    static void verify(Toc toc, List<DatabaseFacts.Table> tables, Map<String, Long> rowCounts) {
        List<String> missing = new ArrayList<>();
        for (DatabaseFacts.Table table : tables) {
            if (!toc.hasTable(table.schema(), table.name())) {
                missing.add(table.qualifiedName());
            } else if (rowCounts.getOrDefault(table.qualifiedName(), 0L) > 0 && !toc.hasTableData(table.schema(), table.name())) {
                missing.add(table.qualifiedName() + " (data)");
            }
        }
        if (!missing.isEmpty()) {
            throw RunbookException.checkFailed("The backup is incomplete: pg_restore --list shows no entry for " + missing
                    + ". The archive was not kept. Check pg_dump's options and the permissions of the backup user.");
        }
    }

    private static String hint(String stderr) {
        String lower = stderr.toLowerCase();
        if (lower.contains("no space left")) {
            return " The destination filesystem is full: free space or choose another --out.";
        }
        if (lower.contains("could not obtain lock") || lower.contains("query was: lock table")) {
            return " A session holds a conflicting lock: retry when it is done or raise --lock-wait-timeout.";
        }
        if (lower.contains("permission denied")) {
            return " The backup role lacks a privilege: " + PRIVILEGE_FIX;
        }
        if (lower.contains("server version mismatch")) {
            return " Use pg_dump of the server's major version (--pg-bin).";
        }
        return "";
    }

    /** Sidecar first, then the artifact: a sidecar without artifact is harmless, the reverse would be unverifiable. */
    private static void publish(Path temporary, Path out, Path temporarySidecar, Path sidecar) throws IOException {
        refuseExisting(out, sidecar);
        Files.move(temporarySidecar, sidecar, StandardCopyOption.ATOMIC_MOVE);
        try {
            if (Files.exists(out)) {
                throw new IOException(out + " appeared while the backup ran");
            }
            Files.move(temporary, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(sidecar);
            throw e;
        }
    }

    private static void refuseExisting(Path out, Path sidecar) {
        if (Files.exists(out)) {
            throw RunbookException.configuration(out + " already exists and a backup never overwrites one: choose another "
                    + "--out (e.g. with a timestamp) or move the old backup away.");
        }
        if (Files.exists(sidecar)) {
            throw RunbookException.configuration(sidecar + " already exists (the metadata of an earlier backup): choose another "
                    + "--out or remove the stale file.");
        }
    }

    private static void requireWritableDirectory(Path directory) {
        if (!Files.exists(directory)) {
            throw RunbookException.environment("The backup directory " + directory + " does not exist: create it first "
                    + "(the runbook does not guess where backups belong).");
        }
        if (!Files.isDirectory(directory)) {
            throw RunbookException.environment(directory + " is not a directory: point --out into a directory.");
        }
        // Probe by writing: permission bits say nothing for root, read-only mounts or ACLs.
        try {
            Path probe = Files.createTempFile(directory, ".runbook-write-probe", "");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw RunbookException.environment("The backup directory " + directory + " is not writable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): fix its permissions or choose another --out.", e);
        }
    }

    private static void requireFreeSpace(Path directory, long databaseSize, double factor) {
        if (factor == 0) {
            return;
        }
        long usable;
        try {
            FileStore store = Files.getFileStore(directory);
            usable = store.getUsableSpace();
        } catch (IOException e) {
            throw RunbookException.environment("Cannot read the free space of " + directory + ": " + e.getMessage(), e);
        }
        long required = (long) Math.ceil(databaseSize * factor);
        if (usable < required) {
            throw RunbookException.environment("Not enough free space in " + directory + ": " + human(usable) + " free, about "
                    + human(required) + " needed (" + factor + " x the database size of " + human(databaseSize) + "). Free space, "
                    + "choose another --out, or lower --free-space-factor if you know the dump compresses well.");
        }
    }

    private static ScheduledExecutorService startTicker(Duration interval, Path temporary, Instant started, Progress progress) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runbook-backup-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(50, interval.toMillis());
        ticker.scheduleAtFixedRate(() -> progress.report("pg_dump: %s written (%s)", human(Checksums.size(temporary)),
                Progress.format(Duration.between(started, Instant.now()))), ms, ms, TimeUnit.MILLISECONDS);
        return ticker;
    }

    static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort; reported files are temporary and hidden
                }
            });
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
