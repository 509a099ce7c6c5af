package io.migrationrunbook.backup;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.db.ServerInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.migrationrunbook.schema.SnapshotReader.quoteIdentifier;

/**
 * The {@code dbRestore} engine. Checks the artifact's SHA-256 against its sidecar before anything else, restores
 * with pg_restore into a database it creates, and compares every table's row count with the sidecar.
 *
 * <p>Replacing a database ({@code replace}) never restores over the live one: the backup is restored into a scratch
 * database next to it and checked first; only then is the old database renamed aside
 * ({@code <name>_replaced_<timestamp>}, kept for inspection) and the scratch database renamed into its place. A
 * failed or mismatching restore therefore leaves the original untouched, unlike {@code pg_restore --clean}, which drops
 * objects one by one in the live database and leaves whatever the dump does not know about.
 */
public final class Restore {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private Restore() {
    }

    public static RestoreResult run(DatabaseTarget target, RestoreSettings settings, Progress progress) {
        settings.validate();
        Instant started = Instant.now();
        Path file = settings.from().toAbsolutePath().normalize();
        BackupMetadata metadata = readSidecar(file);

        progress.report("Checking the SHA-256 of %s against its sidecar", file);
        String actual = Checksums.sha256(file);
        if (!actual.equals(metadata.sha256())) {
            throw RunbookException.checkFailed("Refusing to restore " + file + ": its SHA-256 is " + actual + " but the backup's "
                    + "metadata records " + metadata.sha256() + ". The file was changed or damaged after the backup; "
                    + "restore another backup or find an intact copy.");
        }

        PgTools tools = PgTools.locate(settings.pgBin());
        PgTools.ToolVersion pgRestore = tools.version("pg_restore");
        int archiveMajor = majorOf(metadata.pgDumpVersion());
        if (pgRestore.major() < archiveMajor) {
            throw RunbookException.environment("pg_restore " + pgRestore + " is older than the pg_dump " + metadata.pgDumpVersion()
                    + " that wrote this backup: point --pg-bin / " + PgTools.BIN_VARIABLE + " at the PostgreSQL " + archiveMajor
                    + " client tools.");
        }

        String stamp = STAMP.format(started);
        String name = settings.targetDatabase() != null ? settings.targetDatabase()
                : settings.replace() ? target.database() : fit(metadata.database(), "_restored_" + stamp);

        try (Connection admin = adminConnection(target)) {
            ServerInfo server = ServerInfo.read(admin);
            PgTools.requireAtLeastServer(pgRestore, server.majorVersion(), server.serverVersion());
            boolean exists = databaseExists(admin, name);
            if (exists && !settings.replace()) {
                throw RunbookException.configuration("Database '" + name + "' already exists: restore into a new database "
                        + "(--target-database NEW_NAME) or replace it explicitly with --replace.");
            }
            boolean swap = exists;
            if (swap) {
                requireNoSessions(admin, name, settings.terminateConnections());
            }
            String work = swap ? fit(name, "_restoring_" + stamp) : name;
            progress.report("Restoring %s (database %s, %s, Flyway version %s) into %s%s", file.getFileName(), metadata.database(),
                    metadata.startedAt(), metadata.flywayVersion() == null ? "none" : metadata.flywayVersion(), work,
                    swap ? " (then it replaces " + name + ")" : "");
            createDatabase(admin, work, metadata, server, progress);
            DatabaseTarget workTarget = target.withDatabase(work);
            try {
                pgRestore(tools, workTarget, file, settings, target, admin, progress);
            } catch (RuntimeException e) {
                dropQuietly(admin, work);
                throw e;
            }

            List<RestoreResult.RowCountMismatch> mismatches = compare(workTarget, metadata.rowCounts());
            int compared = metadata.rowCounts() == null ? 0 : metadata.rowCounts().size();
            if (!mismatches.isEmpty()) {
                progress.report("Row counts differ from the backup in %d of %d tables: %s. Database %s is kept for inspection%s.",
                        mismatches.size(), compared, mismatches, work, swap ? "; " + name + " was NOT replaced" : "");
                return new RestoreResult(file.toString(), actual, true, metadata.database(), metadata.flywayVersion(), work,
                        false, null, compared, mismatches, false, Duration.between(started, Instant.now()).toMillis(), metadata.locale());
            }
            progress.report("Row counts of %d tables equal the backup's", compared);

            String keptAs = null;
            if (swap) {
                keptAs = fit(name, "_replaced_" + stamp);
                swapIn(admin, name, work, keptAs, settings.terminateConnections(), progress);
            }
            long durationMs = Duration.between(started, Instant.now()).toMillis();
            progress.report("Restore complete: database %s in %s", name, Progress.format(Duration.ofMillis(durationMs)));
            return new RestoreResult(file.toString(), actual, true, metadata.database(), metadata.flywayVersion(), name, swap,
                    keptAs, compared, List.of(), true, durationMs, metadata.locale());
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "restoring " + file.getFileName() + " into database " + name, "list the databases "
                            + "whose names start with " + name + ": a partly restored one (" + (settings.replace() ? fit(name, "_restoring_"
                            + stamp) + "; " + name + " itself is renamed only at the very end, to " + fit(name, "_replaced_" + stamp) + ")"
                            : name + ")") + " may be left — drop it — then run the restore again: the backup file is unchanged.",
                    () -> RunbookException.environment("Restore failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")"
                    + ("42501".equals(e.getSQLState()) ? ". The user needs CREATEDB (and ownership of a database it replaces)." : "."), e));
        }
    }

    /**
     * Creates the database to restore into from template0 with the source's encoding and locale (pg_dump's archive
     * does not carry them: without this the copy takes the server's defaults, which changes how text sorts and
     * which characters fit). A sidecar written before they were recorded gets the old behaviour and a warning.
     */
    private static void createDatabase(Connection admin, String name, BackupMetadata metadata, ServerInfo server, Progress progress)
            throws SQLException {
        DatabaseLocale locale = metadata.locale();
        String sql = "CREATE DATABASE " + quoteIdentifier(name) + " TEMPLATE template0";
        if (locale == null) {
            progress.report("WARNING: the backup's metadata does not record the source database's encoding and locale "
                    + "(written by an older runbook): %s gets this server's defaults. Check that they match the source "
                    + "(SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database).", name);
        } else {
            sql += " " + locale.createDatabaseOptions(server.majorVersion());
            progress.report("Creating database %s with the source's %s", name, locale);
        }
        try {
            execute(admin, sql);
        } catch (SQLException e) {
            // Only what the locale options themselves cause (42809 "invalid locale name", 22023 encoding and locale do
            // not match, 0A000 ICU not built in); a lost connection or a missing privilege keep their own messages.
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (locale == null || !(state.startsWith("22") || state.equals("0A000") || state.equals("42809"))) {
                throw e;
            }
            throw RunbookException.environment("Cannot create database '" + name + "' with the backed-up database's " + locale
                    + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + "). Install that locale on the database server "
                    + "(e.g. locale-gen, then restart PostgreSQL) or restore onto a server that has it; nothing was created.", e);
        }
    }

    static BackupMetadata readSidecar(Path file) {
        if (!Files.exists(file)) {
            throw RunbookException.configuration("Backup " + file + " does not exist: check --from.");
        }
        Path sidecar = BackupMetadata.sidecarOf(file);
        if (!Files.exists(sidecar)) {
            throw RunbookException.configuration("Backup " + file + " has no metadata file " + sidecar.getFileName() + " next to it: "
                    + "without it the backup's checksum cannot be verified, so it is not restored. Restore the sidecar too.");
        }
        try {
            BackupMetadata metadata = Json.mapper().readValue(sidecar.toFile(), BackupMetadata.class);
            if (!BackupMetadata.TOOL.equals(metadata.tool()) || metadata.sha256() == null) {
                throw RunbookException.configuration(sidecar + " is not backup metadata written by the runbook (no tool/sha256).");
            }
            return metadata;
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read the backup metadata " + sidecar + ": " + e.getMessage());
        }
    }

    private static void pgRestore(PgTools tools, DatabaseTarget workTarget, Path file, RestoreSettings settings,
                                  DatabaseTarget target, Connection admin, Progress progress) {
        List<String> args = new ArrayList<>(List.of("--no-password", "--exit-on-error", "--dbname=" + workTarget.database()));
        if (settings.jobs() > 1) {
            args.add("--jobs=" + settings.jobs());
        }
        args.add(file.toString());
        Instant started = Instant.now();
        progress.report("Running pg_restore%s", settings.jobs() > 1 ? " with " + settings.jobs() + " jobs" : "");
        try (PgTools.Running running = tools.start("pg_restore", workTarget, args)) {
            long intervalMs = Math.max(10, settings.progressInterval().toMillis());
            while (!running.waitFor(intervalMs)) {
                progress.report("pg_restore: database %s is %s (%s)", workTarget.database(), Backup.human(databaseSize(admin,
                        workTarget.database())), Progress.format(Duration.between(started, Instant.now())));
            }
            int exit = running.waitForExit();
            if (exit != 0) {
                String stderr = running.stderr(target.password());
                throw RunbookException.environment("pg_restore " + PgTools.describeExit(exit) + "; the partly restored database "
                        + workTarget.database() + " was dropped. " + (stderr.isEmpty() ? "" : "pg_restore said: " + stderr));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("The restore was interrupted; pg_restore was stopped.", e);
        }
        progress.report("pg_restore done in %s", Progress.format(Duration.between(started, Instant.now())));
    }

    /** Size of the database being restored, for progress only: 0 when it cannot be read. */
    private static long databaseSize(Connection admin, String database) {
        try (PreparedStatement ps = admin.prepareStatement("SELECT pg_database_size(?)")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    private static List<RestoreResult.RowCountMismatch> compare(DatabaseTarget restored, Map<String, Long> expected) throws SQLException {
        List<RestoreResult.RowCountMismatch> mismatches = new ArrayList<>();
        if (expected == null) {
            return mismatches;
        }
        try (Connection connection = restored.connect()) {
            Map<String, Long> actual = DatabaseFacts.rowCounts(connection, DatabaseFacts.tables(connection));
            expected.forEach((table, count) -> {
                Long got = actual.get(table);
                if (!count.equals(got)) {
                    mismatches.add(new RestoreResult.RowCountMismatch(table, count, got));
                }
            });
        }
        return mismatches;
    }

    private static void requireNoSessions(Connection admin, String database, boolean terminate) throws SQLException {
        List<String> sessions = sessions(admin, database);
        if (!sessions.isEmpty() && !terminate) {
            throw RunbookException.environment(sessions.size() + " session(s) are connected to '" + database + "' (" + String.join(", ", sessions)
                    + "): stop the applications using it first, or pass --terminate-connections to disconnect them.");
        }
    }

    /** Old aside, new in place; a failure in between puts the old one back. */
    private static void swapIn(Connection admin, String name, String work, String keptAs, boolean terminate, Progress progress)
            throws SQLException {
        execute(admin, "ALTER DATABASE " + quoteIdentifier(name) + " ALLOW_CONNECTIONS false");
        try {
            if (terminate) {
                terminateSessions(admin, name, progress);
            }
            List<String> sessions = sessions(admin, name);
            if (!sessions.isEmpty()) {
                throw RunbookException.environment("Sessions connected to '" + name + "' while replacing it (" + String.join(", ", sessions)
                        + "); it was not replaced. The restored copy is in database '" + work + "'.");
            }
            execute(admin, "ALTER DATABASE " + quoteIdentifier(name) + " RENAME TO " + quoteIdentifier(keptAs));
        } catch (RuntimeException | SQLException e) {
            execute(admin, "ALTER DATABASE " + quoteIdentifier(name) + " ALLOW_CONNECTIONS true");
            throw e;
        }
        try {
            execute(admin, "ALTER DATABASE " + quoteIdentifier(work) + " RENAME TO " + quoteIdentifier(name));
        } catch (SQLException e) {
            execute(admin, "ALTER DATABASE " + quoteIdentifier(keptAs) + " RENAME TO " + quoteIdentifier(name));
            execute(admin, "ALTER DATABASE " + quoteIdentifier(name) + " ALLOW_CONNECTIONS true");
            throw e;
        }
        execute(admin, "ALTER DATABASE " + quoteIdentifier(keptAs) + " ALLOW_CONNECTIONS true");
        progress.report("Replaced database %s; the previous one is kept as %s (drop it when no longer needed)", name, keptAs);
    }

    private static void terminateSessions(Connection admin, String database, Progress progress) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    progress.report("Terminated %d session(s) connected to %s", rs.getInt(1), database);
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!sessions(admin, database).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<String> sessions(Connection admin, String database) throws SQLException {
        List<String> sessions = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT pid, usename, coalesce(nullif(application_name, ''), '?') "
                + "FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid() ORDER BY pid")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sessions.add("pid " + rs.getInt(1) + " " + rs.getString(2) + "/" + rs.getString(3));
                }
            }
        }
        return sessions;
    }

    /** CREATE/ALTER/DROP DATABASE must run outside the target database: postgres, else template1. */
    private static Connection adminConnection(DatabaseTarget target) {
        try {
            return target.withDatabase("postgres").connect();
        } catch (RunbookException e) {
            return target.withDatabase("template1").connect();
        }
    }

    private static boolean databaseExists(Connection admin, String name) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void dropQuietly(Connection admin, String database) {
        try {
            execute(admin, "DROP DATABASE IF EXISTS " + quoteIdentifier(database) + " WITH (FORCE)");
        } catch (SQLException ignored) {
            // reported by the caller's error; the name is in the message
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@code base + suffix} within PostgreSQL's 63-byte name limit (the base is shortened, the suffix kept). */
    static String fit(String base, String suffix) {
        String name = base;
        while ((name + suffix).getBytes(StandardCharsets.UTF_8).length > 63) {
            name = name.substring(0, name.length() - 1);
        }
        return name + suffix;
    }

    private static int majorOf(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
