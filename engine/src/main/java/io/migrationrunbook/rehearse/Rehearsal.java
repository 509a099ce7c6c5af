package io.migrationrunbook.rehearse;

import io.migrationrunbook.backup.PgTools;
import io.migrationrunbook.backup.Restore;
import io.migrationrunbook.backup.RestoreSettings;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.db.ServerInfo;
import io.migrationrunbook.lint.Migration;
import io.migrationrunbook.lint.MigrationLoader;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.migrate.PendingMigration;
import io.migrationrunbook.migrate.Placeholders;
import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.schema.SchemaDiff;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code runbook rehearse}: runs the pending migrations on a scratch copy of the target and observes what they do —
 * beyond what a linter can read from SQL text. The copy is a restored backup or a schema-only dump of the target (with
 * optional sample rows); the migrations run with Flyway's transaction boundaries (a file in one transaction unless it
 * holds statements that cannot run in one), statement by statement, recording for each the relation locks its own
 * backend took (pg_locks before the transaction ends), tables rewritten (relfilenode changed), duration and rows.
 * The catalog before and after is diffed and the release classified from those facts. The target is only read.
 */
public final class Rehearsal {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    static final String ACCESS_EXCLUSIVE = "AccessExclusiveLock";
    static final Set<String> WRITE_BLOCKING = Set.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", ACCESS_EXCLUSIVE);

    private final DatabaseTarget target;
    private final RehearsalSettings settings;

    private Rehearsal(DatabaseTarget target, RehearsalSettings settings) {
        this.target = target;
        this.settings = settings;
    }

    public static Rehearsal of(DatabaseTarget target, RehearsalSettings settings) {
        return new Rehearsal(target, settings.check());
    }

    public RehearsalResult run(Progress progress) {
        DatabaseTarget server = settings.scratchServer() != null ? settings.scratchServer() : target;
        String name = settings.scratchDatabase() != null ? settings.scratchDatabase() : scratchName(target.database());
        refuseTarget(server, name);
        DatabaseTarget scratch = server.withDatabase(name);
        List<String> notes = new ArrayList<>();
        long setupStarted = System.nanoTime();
        String source;
        boolean created = false;
        try {
            if (settings.backup() != null) {
                progress.report("Restoring %s into scratch database %s on %s:%d", settings.backup(), name, server.host(), server.port());
                created = true; // Restore creates it, and drops it itself when the restore fails
                Restore.run(server, new RestoreSettings().from(settings.backup()).targetDatabase(name).pgBin(settings.pgBin()), progress);
                source = "backup " + settings.backup();
            } else {
                createDatabase(server, name);
                created = true;
                progress.report("Copying the schema of %s (pg_dump --schema-only) into scratch database %s on %s:%d%s", target.database(),
                        name, server.host(), server.port(), settings.sampleRows() > 0 ? " with up to " + settings.sampleRows() + " rows per table" : "");
                copySchema(scratch, progress);
                source = "schema-only dump of " + target.database() + (settings.sampleRows() > 0
                        ? " + up to " + settings.sampleRows() + " sample rows per table" : " (no data)");
                notes.add(settings.sampleRows() > 0 ? "Durations and rows come from sample data: production tables are larger; "
                        + "rewrites and scans grow with the table." : "No data was copied: durations show catalog work only; "
                        + "rewrites and scans of large tables take far longer in production (rehearse a backup for real figures).");
            }
            long setupMs = (System.nanoTime() - setupStarted) / 1_000_000;
            return rehearse(scratch, server, name, source, setupMs, notes, progress);
        } finally {
            if (created && !settings.keep()) {
                dropQuietly(server, name, progress);
            }
        }
    }

    private RehearsalResult rehearse(DatabaseTarget scratch, DatabaseTarget server, String name, String source, long setupMs,
                                     List<String> notes, Progress progress) {
        List<PendingMigration> pending = new Migrator(scratch, settings.migrations()).pending();
        // Flyway's semantics: a placeholder without a value stops the run; here before any migration ran on the copy
        Placeholders.requireValues(pending.stream().filter(p -> p.file() != null && !p.file().isEmpty())
                .map(p -> Path.of(p.file())).toList(), settings.migrations().placeholders());
        Map<String, String> builtIns = builtInPlaceholders(scratch);
        progress.report("%d pending migration(s) to rehearse on %s", pending.size(), name);
        SnapshotOptions snapshotOptions = SnapshotOptions.defaults();
        SchemaSnapshot before = SnapshotReader.read(scratch, snapshotOptions);
        List<RehearsalResult.RehearsedMigration> migrations = new ArrayList<>();
        List<RehearsalResult.LockPhase> phases = new ArrayList<>();
        Set<String> rewritten = new LinkedHashSet<>();
        List<String> backfills = new ArrayList<>();
        String failure = null;
        long total = 0;
        long runStarted = System.nanoTime();
        StatementRunner runner = new StatementRunner(scratch, settings.migrations(), settings.lockBudget());
        for (PendingMigration p : pending) {
            if (p.file() == null || p.file().isEmpty()) {
                failure = (p.version() == null ? "R " : "V" + p.version() + " ") + p.description()
                        + " is inside a jar: rehearse from a filesystem location";
                break;
            }
            Map<String, String> placeholders = new LinkedHashMap<>(builtIns);
            placeholders.put("flyway:filename", Path.of(p.file()).getFileName().toString());
            placeholders.putAll(settings.migrations().placeholders());
            Migration migration = MigrationLoader.load(Path.of(p.file()), placeholders);
            boolean transactional = !Boolean.FALSE.equals(p.transactional());
            progress.report("Rehearsing %s (%d statement(s), %s)", p.script(), migration.statementCount(),
                    transactional ? "one transaction" : "no transaction: statement by statement");
            StatementRunner.MigrationRun run = runner.run(p, migration, transactional);
            migrations.add(run.migration());
            phases.addAll(run.phases());
            total += run.migration().durationMs();
            for (RehearsalResult.RehearsedStatement s : run.migration().statements()) {
                rewritten.addAll(s.rewritten());
                if (s.rowsAffected() != null && s.rowsAffected() > settings.backfillRowThreshold()) {
                    backfills.add(p.script() + ":" + s.line() + " changed " + s.rowsAffected() + " rows");
                }
            }
            if (!run.migration().succeeded()) {
                failure = run.failure();
                progress.report("✗ %s", failure);
                break;
            }
        }
        long runWallMs = ms(System.nanoTime() - runStarted);
        SchemaSnapshot after = SnapshotReader.read(scratch, snapshotOptions);
        SchemaDiff diff = SchemaDiff.between(before, after);

        Set<ChangeClass> classes = EnumSet.noneOf(ChangeClass.class);
        List<String> reasons = new ArrayList<>();
        for (SchemaDiff.Change c : diff.changes()) {
            if (c.breaking()) {
                classes.add(ChangeClass.BREAKING);
                reasons.add("breaking: " + c.message());
            } else if (c.drift() == SchemaDiff.Drift.EXTRA) {
                classes.add(ChangeClass.NON_BREAKING);
                reasons.add("non-breaking: " + c.message());
            }
        }
        for (String table : rewritten) {
            classes.add(ChangeClass.LOCKING);
            reasons.add("locking: " + table + " was rewritten (relfilenode changed) under ACCESS EXCLUSIVE");
        }
        for (RehearsalResult.LockPhase phase : phases) {
            if (phase.overBudget()) {
                classes.add(ChangeClass.LOCKING);
                reasons.add("locking: " + phase.mode() + " on " + phase.relation() + " held " + phase.durationMs() + " ms by "
                        + phase.migration() + ":" + phase.line() + ", over the " + settings.lockBudget().toMillis() + " ms budget");
            }
        }
        for (String b : backfills) {
            classes.add(ChangeClass.BACKFILL);
            reasons.add("backfill: " + b + " (more than " + settings.backfillRowThreshold() + ")");
        }
        List<RehearsalResult.LockPhase> aePhases = phases.stream().filter(ph -> ACCESS_EXCLUSIVE.equals(ph.mode())).toList();
        boolean passed = failure == null && aePhases.stream().noneMatch(RehearsalResult.LockPhase::overBudget);
        long windowSeconds = Math.max(1, (long) Math.ceil(total * 2 / 1000.0));
        progress.report("Rehearsal %s: %d migration(s) in %d ms; %d table(s) rewritten; %d ACCESS EXCLUSIVE phase(s), %d over the %d ms budget",
                passed ? "passed" : "FAILED", migrations.size(), total, rewritten.size(), aePhases.size(),
                aePhases.stream().filter(RehearsalResult.LockPhase::overBudget).count(), settings.lockBudget().toMillis());
        return new RehearsalResult(passed, target.database(), name, server.host() + ":" + server.port(), source, !settings.keep(),
                List.copyOf(migrations), aePhases, settings.lockBudget().toMillis(), diff.changes(),
                classes.isEmpty() ? Set.of() : EnumSet.copyOf(classes), List.copyOf(reasons), setupMs, total, runWallMs,
                windowSeconds + "s", failure, List.copyOf(notes));
    }

    /** Never the target itself: same server and same database name is refused before anything is created. */
    private void refuseTarget(DatabaseTarget server, String name) {
        boolean sameServer = sameServer(server, target);
        if (sameServer && name.equals(target.database())) {
            throw RunbookException.configuration("Refusing to rehearse on the target database " + target.database()
                    + " itself: the rehearsal creates, changes and drops its scratch database. Name another --scratch-db (or leave it out).");
        }
        try (Connection admin = admin(server); PreparedStatement p = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    throw RunbookException.configuration("Scratch database " + name + " already exists on " + server.host() + ":"
                            + server.port() + ": the rehearsal never reuses or overwrites a database. Drop it or name another --scratch-db.");
                }
            }
        } catch (SQLException e) {
            throw RunbookException.environment("Cannot read the databases of " + server.host() + ":" + server.port() + ": " + e.getMessage(), e);
        }
    }

    static boolean sameServer(DatabaseTarget a, DatabaseTarget b) {
        return normaliseHost(a.host()).equals(normaliseHost(b.host())) && a.port() == b.port();
    }

    private static String normaliseHost(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("127.0.0.1") || h.equals("::1") || h.equals("[::1]") ? "localhost" : h;
    }

    static String scratchName(String database) {
        String suffix = "_rehearsal_" + STAMP.format(java.time.Instant.now()) + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        String base = database.replaceAll("[^A-Za-z0-9_]", "_");
        return (base.length() + suffix.length() > 63 ? base.substring(0, 63 - suffix.length()) : base) + suffix;
    }

    private static Connection admin(DatabaseTarget server) {
        try {
            return server.connect();
        } catch (RunbookException e) {
            return server.withDatabase("postgres").connect();
        }
    }

    private static void createDatabase(DatabaseTarget server, String name) {
        try (Connection admin = admin(server); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + SnapshotReader.quoteIdentifier(name) + " TEMPLATE template0");
        } catch (SQLException e) {
            throw RunbookException.environment("Cannot create the scratch database " + name + ": " + e.getMessage()
                    + ("42501".equals(e.getSQLState()) ? ". The user needs CREATEDB on the scratch server." : "."), e);
        }
    }

    private static void dropQuietly(DatabaseTarget server, String name, Progress progress) {
        try (Connection admin = admin(server); Statement s = admin.createStatement()) {
            boolean force = ServerInfo.read(admin).majorVersion() >= 13;
            s.execute("DROP DATABASE IF EXISTS " + SnapshotReader.quoteIdentifier(name) + (force ? " WITH (FORCE)" : ""));
            progress.report("Dropped scratch database %s", name);
        } catch (SQLException | RuntimeException e) {
            progress.report("Could not drop scratch database %s (%s): drop it by hand (DROP DATABASE %s)", name, e.getMessage(), name);
        }
    }

    /**
     * pg_dump --schema-only of the target, restored in two sections around the data: tables first, then the rows of
     * Flyway's history (so the same migrations are pending) and the samples, then indexes, constraints and triggers.
     * Owners and grants are left out (the scratch server may not have the roles).
     */
    private void copySchema(DatabaseTarget scratch, Progress progress) {
        PgTools tools = PgTools.locate(settings.pgBin());
        Path dump;
        try {
            dump = Files.createTempFile("runbook-rehearsal", ".dump");
        } catch (IOException e) {
            throw RunbookException.environment("Cannot create a temporary file for the schema dump: " + e.getMessage(), e);
        }
        try {
            tools.capture("pg_dump", target, List.of("--schema-only", "--format=custom", "--no-password", "--file=" + dump,
                    "--dbname=" + target.database()));
            tools.capture("pg_restore", scratch, List.of("--section=pre-data", "--no-owner", "--no-privileges", "--no-password",
                    "--exit-on-error", "--dbname=" + scratch.database(), dump.toString()));
            copyRows(scratch, progress);
            try {
                tools.capture("pg_restore", scratch, List.of("--section=post-data", "--no-owner", "--no-privileges", "--no-password",
                        "--exit-on-error", "--dbname=" + scratch.database(), dump.toString()));
            } catch (RunbookException e) {
                if (settings.sampleRows() == 0) {
                    throw e;
                }
                throw RunbookException.checkFailed("The sample rows break a constraint of the schema (a foreign key to a row not "
                        + "sampled, most likely), so the copy is incomplete: " + e.getMessage() + ". Rehearse without --sample-rows, "
                        + "or from a backup.");
            }
        } finally {
            try {
                Files.deleteIfExists(dump);
            } catch (IOException ignored) {
                // a temporary schema-only dump: nothing secret
            }
        }
    }

    /** Copies the Flyway history (all rows) and, when asked, up to N rows of every other table, with COPY. */
    private void copyRows(DatabaseTarget scratch, Progress progress) {
        String historySchema;
        DatabaseTarget using = target; // which of the two connections the current statement runs on, for a lost connection
        try (Connection from = target.connect(); Connection to = scratch.connect()) {
            historySchema = settings.migrations().schemas().isEmpty() ? currentSchema(from) : settings.migrations().schemas().get(0);
            CopyManager out = from.unwrap(PGConnection.class).getCopyAPI();
            CopyManager in = to.unwrap(PGConnection.class).getCopyAPI();
            List<String[]> tables = new ArrayList<>();
            try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r') AND NOT c.relispartition "
                    + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            long copied = 0;
            for (String[] t : tables) {
                boolean history = t[0].equals(historySchema) && t[1].equals(settings.migrations().table());
                if (!history && settings.sampleRows() == 0) {
                    continue;
                }
                String columns = insertableColumns(from, t[0], t[1]);
                if (columns.isEmpty()) {
                    continue;
                }
                String qualified = SnapshotReader.quoteIdentifier(t[0]) + "." + SnapshotReader.quoteIdentifier(t[1]);
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                out.copyOut("COPY (SELECT " + columns + " FROM " + qualified + (history ? "" : " LIMIT " + settings.sampleRows())
                        + ") TO STDOUT (FORMAT binary)", buffer);
                using = scratch;
                copied += in.copyIn("COPY " + qualified + " (" + columns + ") FROM STDIN (FORMAT binary)",
                        new ByteArrayInputStream(buffer.toByteArray()));
                using = target;
            }
            progress.report("Copied %d row(s) (the Flyway history%s)", copied, settings.sampleRows() > 0 ? " and samples" : "");
        } catch (SQLException | IOException e) {
            throw using.lostConnectionOr(e, "copying " + (settings.sampleRows() > 0 ? "the Flyway history and sample rows" : "the Flyway history")
                            + " from " + target.database() + " into the scratch database " + scratch.database(), "run the rehearsal again: "
                            + "it only reads the target (a scratch database it could not drop is named above: DROP DATABASE it).",
                    () -> RunbookException.environment("Cannot copy rows into the scratch database: " + e.getMessage(), e));
        }
    }

    /**
     * Flyway's built-in placeholders as Flyway would fill them on the scratch copy: {@code flyway:database} is the
     * scratch database (a migration that alters "its" database must alter the copy, never the target).
     */
    private Map<String, String> builtInPlaceholders(DatabaseTarget scratch) {
        Map<String, String> values = new LinkedHashMap<>();
        String defaultSchema;
        if (!settings.migrations().schemas().isEmpty()) {
            defaultSchema = settings.migrations().schemas().get(0);
        } else {
            try (Connection c = scratch.connect()) {
                defaultSchema = currentSchema(c);
            } catch (SQLException e) {
                throw RunbookException.environment("Cannot read the current schema of the scratch database " + scratch.database()
                        + ": " + e.getMessage(), e);
            }
        }
        values.put("flyway:defaultSchema", defaultSchema);
        values.put("flyway:user", scratch.user());
        values.put("flyway:database", scratch.database());
        values.put("flyway:timestamp", new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new java.util.Date()));
        values.put("flyway:workingDirectory", System.getProperty("user.dir"));
        values.put("flyway:table", settings.migrations().table());
        values.put("flyway:environment", "default");
        return values;
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1) == null ? "public" : rs.getString(1);
        }
    }

    private static String insertableColumns(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 "
                + "AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum")) {
            p.setString(1, schema);
            p.setString(2, table);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    names.add(SnapshotReader.quoteIdentifier(rs.getString(1)));
                }
            }
            return String.join(", ", names);
        }
    }

    static long ms(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
