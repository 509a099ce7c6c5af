package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.SqlScript;
import io.migrationrunbook.lint.SqlStatement;
import io.migrationrunbook.lint.StatementKind;
import io.migrationrunbook.lint.StatementRecognizer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import static io.migrationrunbook.schema.SnapshotReader.quoteIdentifier;

/**
 * Cleans up after a migration that failed outside a transaction ({@code CREATE INDEX CONCURRENTLY} hitting a duplicate
 * key, a timeout or a cancel): PostgreSQL leaves the INVALID index behind and Flyway a failed row in its history, and
 * every migrate refuses until both are gone. {@link #plan()} only reads and says what {@link #apply(Progress)} would do:
 * <ol>
 *   <li>drop each INVALID index that a failed migration's script creates (its CREATE INDEX statements are read with the
 *   lint package's SQL scanner), with {@code DROP INDEX CONCURRENTLY IF EXISTS} under the migrator's lock_timeout and
 *   statement_timeout and its lock-timeout retries ({@link LockTimeoutRetry}); other INVALID indexes are listed and left
 *   alone unless {@link #dropAllInvalidIndexes(boolean)};</li>
 *   <li>delete the failed history rows (only those: Flyway 13's own repair cannot be limited to them, it also realigns the
 *   checksums of applied migrations and marks missing ones deleted);</li>
 *   <li>only with {@link #realignChecksums(boolean)}: Flyway's repair, which records the current checksums of applied
 *   migrations whose files changed. Refused otherwise: a changed applied migration is exactly what validation exists to
 *   catch (the database holds what the old file did, not what the new one says).</li>
 * </ol>
 * It stops at the first failing step, so a failed row is never removed while an index its migration created remains.
 */
public final class Repairer {

    static final String DROP_INDEX = "DROP_INVALID_INDEX";
    static final String DELETE_ROW = "DELETE_FAILED_HISTORY_ROW";
    static final String REALIGN = "REALIGN_CHECKSUMS";

    private final DatabaseTarget target;
    private final MigrationSettings settings;
    private final RandomGenerator random;
    private boolean dropAllInvalidIndexes;
    private boolean realignChecksums;

    public Repairer(DatabaseTarget target, MigrationSettings settings) {
        this(target, settings, new Random());
    }

    Repairer(DatabaseTarget target, MigrationSettings settings, RandomGenerator random) {
        this.target = target;
        this.settings = settings;
        this.random = random;
    }

    /** Also drop INVALID indexes that no failed migration's script creates (left alone by default). */
    public Repairer dropAllInvalidIndexes(boolean dropAll) {
        this.dropAllInvalidIndexes = dropAll;
        return this;
    }

    /** Record the current checksums of applied migrations whose files changed (refused by default). */
    public Repairer realignChecksums(boolean realign) {
        this.realignChecksums = realign;
        return this;
    }

    /** The dry run: what is wrong and what {@link #apply(Progress)} would do. Changes nothing. */
    public RepairResult plan() {
        return plan(Progress.silent());
    }

    public RepairResult plan(Progress progress) {
        long start = System.nanoTime();
        Findings found = find(progress);
        RepairResult.Status status = found.actions.isEmpty() && found.mismatches.isEmpty() ? RepairResult.Status.CLEAN
                : RepairResult.Status.NEEDS_REPAIR;
        progress.report("Dry run: %s; nothing was changed%s", status == RepairResult.Status.CLEAN ? "nothing to repair"
                : found.actions.size() + " action(s) would run", status == RepairResult.Status.CLEAN ? "" : " (run with --apply to repair)");
        return found.result(status, false, found.actions, millisSince(start));
    }

    /** Repairs what {@link #plan()} lists, in order, stopping at the first step that fails. */
    public RepairResult apply(Progress progress) {
        long start = System.nanoTime();
        Findings found = find(progress);
        List<RepairResult.Action> done = new ArrayList<>();
        LockTimeoutRetry retry = new LockTimeoutRetry(settings, random, progress);
        boolean failed = false;
        for (RepairResult.Action action : found.actions) {
            if (failed) {
                done.add(action.with("SKIPPED", 0, null, "not run: an earlier step failed"));
                continue;
            }
            RepairResult.Action result = run(action, retry, progress);
            done.add(result);
            failed = result.status().equals("FAILED");
        }
        RepairResult.Status status = failed ? RepairResult.Status.FAILED
                : !found.mismatches.isEmpty() && !realignChecksums ? RepairResult.Status.REFUSED
                : found.actions.isEmpty() ? RepairResult.Status.CLEAN : RepairResult.Status.REPAIRED;
        progress.report("Repair %s: %d of %d action(s) done in %s", status,
                done.stream().filter(a -> a.status().equals("DONE")).count(), done.size(), Progress.format(Duration.ofMillis(millisSince(start))));
        return found.result(status, true, done, millisSince(start));
    }

    private RepairResult.Action run(RepairResult.Action action, LockTimeoutRetry retry, Progress progress) {
        long start = System.nanoTime();
        int[] retries = {0};
        try {
            String message;
            if (action.kind().equals(REALIGN)) {
                progress.report("Realigning checksums of changed applied migrations (flyway repair): %s", action.target());
                Flyway flyway = FlywayFactory.create(target, settings);
                org.flywaydb.core.api.output.RepairResult repaired = flyway.repair();
                message = "Flyway repair: " + (repaired.migrationsAligned == null ? 0 : repaired.migrationsAligned.size()) + " aligned, "
                        + (repaired.migrationsRemoved == null ? 0 : repaired.migrationsRemoved.size()) + " removed, "
                        + (repaired.migrationsDeleted == null ? 0 : repaired.migrationsDeleted.size()) + " marked deleted";
            } else {
                progress.report("%s: %s", action.kind().equals(DROP_INDEX) ? "Dropping invalid index " + action.target()
                        : "Removing the failed history row of " + action.target(), action.sql());
                int rows = retry.run(() -> execute(action.sql()), e -> e instanceof SQLException sql
                        && Migrator.LOCK_NOT_AVAILABLE.equals(sql.getSQLState())
                        ? new LockTimeoutRetry.Retryable(action.sql(), "stopped without a change: another transaction holds a lock on the table",
                        retries[0], () -> retries[0]++) : null);
                message = action.kind().equals(DROP_INDEX) ? "dropped" : rows + " row(s) deleted";
            }
            long ms = millisSince(start);
            progress.report("  done in %s%s: %s", Progress.format(Duration.ofMillis(ms)),
                    retries[0] == 0 ? "" : " after " + retries[0] + " lock-timeout retries", message);
            return action.with("DONE", retries[0], ms, message);
        } catch (RunbookException e) {
            throw e; // unreachable server, lost connection: the environment, not this step
        } catch (Exception e) {
            RuntimeException lost = target.lostConnection(e, "repairing (" + action.sql() + ")",
                    "run `runbook repair` again: it shows what is left to repair (each step is safe to repeat).");
            if (lost != null) {
                throw lost;
            }
            String sqlState = Migrator.sqlState(e);
            String message = (sqlState == null ? "" : "SQLSTATE " + sqlState + ": ") + String.valueOf(e.getMessage()).strip()
                    + (Migrator.LOCK_NOT_AVAILABLE.equals(sqlState) ? " -- a long transaction kept its lock through " + (retries[0] + 1)
                    + " attempts; find it (SELECT pid, xact_start, state, query FROM pg_stat_activity WHERE xact_start < now() - interval "
                    + "'1 minute'), let it finish, then run repair again" : "");
            progress.report("  FAILED: %s", message);
            return action.with("FAILED", retries[0], millisSince(start), message);
        }
    }

    /** One statement on its own session under the migrator's timeouts; DROP INDEX CONCURRENTLY needs autocommit. */
    private int execute(String sql) throws SQLException {
        try (Connection c = target.connect(); Statement s = c.createStatement()) {
            s.execute(SessionTimeouts.sql(settings.lockTimeout(), settings.statementTimeout()));
            c.setAutoCommit(true);
            s.execute(sql);
            return Math.max(s.getUpdateCount(), 0);
        }
    }

    private Findings find(Progress progress) {
        Flyway flyway = FlywayFactory.create(target, settings); // checks the settings and locations before connecting
        Migrator.Session session = Migrator.Session.probe(target, settings);
        String history = quoteIdentifier(session.schemas().get(0)) + "." + quoteIdentifier(settings.table());
        Findings found = new Findings(session, session.schemas().get(0) + "." + settings.table());
        List<RepairResult.FailedEntry> failed = failedEntries(flyway, session, history);
        found.failedEntries.addAll(failed);
        List<InvalidIndex> invalid = session.invalidIndexes(Set.of());
        Map<String, Integer> building = invalid.isEmpty() ? Map.of() : buildsInProgress();
        for (InvalidIndex index : invalid) {
            RepairResult.FailedEntry creator = failed.stream().filter(f -> creates(f, index, session.schemas().get(0))).findFirst().orElse(null);
            String createdBy = creator == null ? null : label(creator);
            Integer builder = building.get(index.schema() + "." + index.index());
            boolean drop = builder == null && (creator != null || dropAllInvalidIndexes);
            String reason = builder != null ? "found but not touched: it is being built right now by another session (pid " + builder
                    + ", pg_stat_progress_create_index); an index stays INVALID until its concurrent build finishes"
                    : creator != null ? "created by the failed migration " + createdBy + " (" + creator.script() + ")"
                    : dropAllInvalidIndexes ? "no failed migration creates it; dropped because --drop-all-invalid-indexes was given"
                    : "found but not touched: no failed migration in the history creates it (an older failed build, or one run by "
                    + "hand). Drop it yourself (" + dropSql(index) + ") or pass --drop-all-invalid-indexes";
            found.indexes.add(new RepairResult.IndexFinding(index.schema(), index.table(), index.index(), index.definition(), createdBy, drop, reason));
            if (drop) {
                found.actions.add(new RepairResult.Action(DROP_INDEX, index.schema() + "." + index.index(), dropSql(index), "PLANNED", 0, null, null));
            } else {
                found.warnings.add("Invalid index " + index.schema() + "." + index.index() + " " + reason);
            }
        }
        for (RepairResult.FailedEntry entry : failed) {
            found.actions.add(new RepairResult.Action(DELETE_ROW, label(entry), "DELETE FROM " + history + " WHERE installed_rank = "
                    + entry.installedRank() + " AND NOT success", "PLANNED", 0, null, null));
            if (entry.file() == null) {
                found.warnings.add(label(entry) + " (" + entry.script() + ") is not in " + String.join(", ", settings.locations())
                        + ": the indexes it created cannot be told apart, so no invalid index is dropped for it. Pass the right --locations.");
            }
        }
        List<ValidationReport.Problem> problems = new Migrator(target, settings).validate().problems();
        problems.stream().filter(p -> "CHECKSUM_MISMATCH".equals(p.errorCode()))
                .forEach(p -> found.mismatches.add(new RepairResult.ChecksumMismatch(p.version(), p.file(), p.message())));
        if (!found.mismatches.isEmpty()) {
            String versions = found.mismatches.stream().map(m -> "V" + m.version()).collect(Collectors.joining(", "));
            if (realignChecksums) {
                List<String> missing = problems.stream().filter(p -> String.valueOf(p.errorCode()).contains("NOT_RESOLVED"))
                        .map(p -> p.version() == null ? String.valueOf(p.file()) : "V" + p.version()).toList();
                if (!missing.isEmpty()) {
                    throw RunbookException.configuration("--realign-checksums runs Flyway's repair, which would also mark the applied "
                            + "migrations whose files are missing (" + String.join(", ", missing) + ") as deleted. Restore those files to "
                            + String.join(", ", settings.locations()) + " first (applied migrations are never deleted); nothing was changed.");
                }
                found.actions.add(new RepairResult.Action(REALIGN, versions, "flyway repair", "PLANNED", 0, null, null));
            } else {
                found.warnings.add(refusedChecksums(found.mismatches));
            }
        }
        progress.report("Schema history %s: %d failed entr%s%s; %d invalid index(es)%s", found.historyTable, failed.size(),
                failed.size() == 1 ? "y" : "ies", failed.isEmpty() ? "" : " (" + failed.stream().map(Repairer::label).collect(Collectors.joining(", ")) + ")",
                invalid.size(), invalid.isEmpty() ? "" : " (" + found.indexes.stream().map(i -> i.schema() + "." + i.index()
                        + (i.drop() ? "" : " not touched")).collect(Collectors.joining(", ")) + ")");
        return found;
    }

    /**
     * Indexes whose {@code CREATE INDEX [CONCURRENTLY]} is running right now in another session ({@code schema.index} to its
     * pid): INVALID only because they are not finished. Dropping one would make the other session's build fail (and its
     * DROP would wait for that build's lock). Sessions of other roles are visible only to a superuser or
     * pg_read_all_stats; for the others, the DROP's lock wait ends at the lock timeout and the step fails, changing nothing.
     */
    private Map<String, Integer> buildsInProgress() {
        Map<String, Integer> building = new HashMap<>();
        try (Connection c = target.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT n.nspname || '.' || i.relname, p.pid FROM pg_stat_progress_create_index p "
                     + "JOIN pg_class i ON i.oid = p.index_relid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE p.pid <> pg_backend_pid()")) {
            while (rs.next()) {
                building.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "looking for index builds in progress (pg_stat_progress_create_index)",
                    "run `runbook repair` again: it only reads.",
                    () -> RunbookException.environment("Cannot read pg_stat_progress_create_index: " + e.getMessage(), e));
        }
        return building;
    }

    private static String refusedChecksums(List<RepairResult.ChecksumMismatch> mismatches) {
        String versions = mismatches.stream().map(m -> "V" + m.version()).collect(Collectors.joining(", "));
        return "Not realigning the checksums of applied migration(s) " + versions + ": their files changed after they were applied, which "
                + "is exactly what validation is there to catch (the database holds what the old file did). Restore the files and put the "
                + "change in a new migration; only if the change cannot alter the schema (a comment, whitespace) pass --realign-checksums.";
    }

    private List<RepairResult.FailedEntry> failedEntries(Flyway flyway, Migrator.Session session, String history) {
        String sql = "SELECT installed_rank, version, description, script, installed_on::text FROM " + history
                + " WHERE NOT success ORDER BY installed_rank";
        List<RepairResult.FailedEntry> rows = new ArrayList<>();
        try (Connection c = target.connect(); Statement s = c.createStatement()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                exists.setString(1, history);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return rows; // no history table: nothing was ever migrated, nothing failed
                    }
                }
            }
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(new RepairResult.FailedEntry(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            null, List.of()));
                }
            }
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "reading the schema history (" + history + ")", "run `runbook repair` again: it only reads.",
                    () -> RunbookException.environment("Cannot read the schema history " + history + " (SQLSTATE " + e.getSQLState() + "): "
                            + e.getMessage() + ". Check the user's privileges on it.", e));
        }
        if (rows.isEmpty()) {
            return rows;
        }
        MigrationInfo[] all;
        try {
            all = flyway.info().all();
        } catch (FlywayException e) {
            throw new Migrator(target, settings).translate(e, session.schemas(), "run `runbook repair` again: it only reads.");
        }
        List<RepairResult.FailedEntry> withFiles = new ArrayList<>();
        for (RepairResult.FailedEntry row : rows) {
            String file = null;
            for (MigrationInfo m : all) {
                if (m.getInstalledRank() != null && m.getInstalledRank() == row.installedRank() && m.getPhysicalLocation() != null
                        && !m.getPhysicalLocation().isEmpty()) {
                    file = m.getPhysicalLocation();
                }
            }
            // the index names as migrate ran them: Flyway placeholders replaced (CREATE INDEX ${prefix}_email_ux ...)
            List<String> indexes = file == null ? List.of()
                    : indexesCreated(Placeholders.replace(readFile(file), Placeholders.lookup(settings.placeholders()), new ArrayList<>()));
            withFiles.add(new RepairResult.FailedEntry(row.installedRank(), row.version(), row.description(), row.script(), row.installedOn(),
                    file, indexes));
        }
        return withFiles;
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return ""; // a classpath resource inside a jar: no index names, so nothing is dropped for it (a warning says so)
        }
    }

    /**
     * The index names (folded as PostgreSQL does) the script's CREATE INDEX statements give, as {@code schema.index} when
     * the table is schema-qualified (the index lives in its table's schema).
     */
    static List<String> indexesCreated(String sql) {
        List<String> names = new ArrayList<>();
        for (SqlStatement statement : SqlScript.parse(sql).statements()) {
            collect(StatementRecognizer.recognize(statement), names);
        }
        return names;
    }

    private static void collect(ParsedStatement parsed, List<String> names) {
        if (parsed.kind() == StatementKind.CREATE_INDEX && !parsed.names().isEmpty()) {
            // an index name cannot be schema-qualified: PostgreSQL puts the index in its table's schema
            String table = parsed.table();
            int dot = table == null ? -1 : table.lastIndexOf('.');
            names.add(dot < 0 ? parsed.names().get(0) : table.substring(0, dot) + "." + parsed.names().get(0));
        }
        for (ParsedStatement inner : parsed.block()) {
            collect(inner, names);
        }
    }

    /** Whether the entry's script names this index: {@code schema.index}, or a bare name in the history's (Flyway's default) schema. */
    private static boolean creates(RepairResult.FailedEntry entry, InvalidIndex index, String defaultSchema) {
        for (String name : entry.indexesCreated()) {
            int dot = name.lastIndexOf('.');
            String schema = dot < 0 ? defaultSchema : name.substring(0, dot);
            String bare = dot < 0 ? name : name.substring(dot + 1);
            if (bare.equals(index.index()) && schema.equals(index.schema())) {
                return true;
            }
        }
        return false;
    }

    private static String label(RepairResult.FailedEntry entry) {
        return entry.version() == null ? "repeatable " + entry.script() : "V" + entry.version();
    }

    static String dropSql(InvalidIndex index) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + quoteIdentifier(index.schema()) + "." + quoteIdentifier(index.index());
    }


    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** What the history and the catalog hold, and the actions that follow. */
    private static final class Findings {
        final Migrator.Session session;
        final String historyTable;
        final List<RepairResult.FailedEntry> failedEntries = new ArrayList<>();
        final List<RepairResult.IndexFinding> indexes = new ArrayList<>();
        final List<RepairResult.ChecksumMismatch> mismatches = new ArrayList<>();
        final List<RepairResult.Action> actions = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        Findings(Migrator.Session session, String historyTable) {
            this.session = session;
            this.historyTable = historyTable;
        }

        RepairResult result(RepairResult.Status status, boolean applied, List<RepairResult.Action> actions, long durationMs) {
            return new RepairResult(status, session.database(), session.schemas(), historyTable, applied, List.copyOf(failedEntries),
                    List.copyOf(indexes), List.copyOf(mismatches), List.copyOf(actions), List.copyOf(warnings), durationMs);
        }
    }
}
