package io.migrationrunbook.migrate;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.exception.FlywaySqlException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Applies Flyway migrations to one database the production way (see {@link FlywayFactory} for the Flyway settings):
 * every migration under lock and statement timeouts, a migration that fails on a lock timeout retried with backoff
 * when its transaction rolled back, indexes left invalid detected afterwards, and a result that names the file,
 * statement and SQLSTATE of a failure. Also reads, without changing anything, what would be applied
 * ({@link #plan()}, {@link #pending()}) and whether the history matches the files ({@link #validate()}).
 */
public final class Migrator {

    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final String QUERY_CANCELED = "57014";
    private static final String INVALID_INDEX_QUERY = "SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid";

    private final DatabaseTarget target;
    private final MigrationSettings settings;
    private final RandomGenerator random;

    public Migrator(DatabaseTarget target, MigrationSettings settings) {
        this(target, settings, new Random());
    }

    Migrator(DatabaseTarget target, MigrationSettings settings, RandomGenerator random) {
        this.target = target;
        this.settings = settings;
        this.random = random;
    }

    /** The dry run: current version, what would be applied in order (with files), whether validation passes. Changes nothing. */
    public MigrationPlan plan() {
        Flyway flyway = FlywayFactory.create(target, settings);
        Session session = Session.probe(target, settings);
        try {
            MigrationInfoService info = info(flyway);
            requirePlaceholderValues(info);
            return new MigrationPlan(session.database(), session.schemas(), successfulVersion(info), targetLabel(),
                    pending(info), validate(session));
        } catch (FlywayException e) {
            throw translate(e, session.schemas(), READ_ONLY_AGAIN);
        }
    }

    /** The migrations {@code migrate} would apply, in order, up to the target. Changes nothing. */
    public List<PendingMigration> pending() {
        Flyway flyway = FlywayFactory.create(target, settings);
        Session session = Session.probe(target, settings);
        try {
            MigrationInfoService info = info(flyway);
            return pending(info);
        } catch (FlywayException e) {
            throw translate(e, session.schemas(), READ_ONLY_AGAIN);
        }
    }

    /** The check {@code migrate} makes before applying anything: checksums, failed entries, missing or ignored files. */
    public ValidationReport validate() {
        return validate(Session.probe(target, settings));
    }

    private ValidationReport validate(Session session) {
        Flyway flyway = FlywayFactory.configure(target, settings).ignoreMigrationPatterns("*:future", "*:pending").load();
        try {
            ValidateResult result = flyway.validateWithResult();
            List<ValidationReport.Problem> problems = result.invalidMigrations == null ? List.of() : result.invalidMigrations.stream()
                    .map(Migrator::problem).toList();
            String message = result.validationSuccessful ? "Schema history matches the migration files"
                    : result.getAllErrorMessages();
            return new ValidationReport(result.validationSuccessful, result.validateCount, problems, message);
        } catch (FlywayException e) {
            throw translate(e, session.schemas(), READ_ONLY_AGAIN);
        }
    }

    private static ValidationReport.Problem problem(ValidateOutput output) {
        return new ValidationReport.Problem(output.version == null || output.version.isEmpty() ? null : output.version,
                output.description, output.filepath == null || output.filepath.isEmpty() ? null : output.filepath,
                output.errorDetails == null || output.errorDetails.errorCode == null ? null : output.errorDetails.errorCode.toString(),
                output.errorDetails == null ? null : output.errorDetails.errorMessage);
    }

    /**
     * Applies the pending migrations up to the target. Returns a FAILED result (never throws) when a migration fails or
     * validation refuses the history; throws {@link RunbookException} for bad settings (before connecting) and an
     * unreachable database.
     */
    public MigrationResult migrate(Progress progress) {
        long start = System.nanoTime();
        MigrationTracker tracker = new MigrationTracker(progress);
        Flyway flyway = FlywayFactory.create(target, settings, tracker);
        Session session = Session.probe(target, settings);
        List<String> warnings = new ArrayList<>();
        String initialVersion;
        String finalVersion;
        MigrationFailure failure;
        Set<String> invalidBefore;
        try {
            MigrationInfoService info = info(flyway);
            requirePlaceholderValues(info);
            initialVersion = successfulVersion(info);
            invalidBefore = session.invalidIndexes(Set.of()).stream().map(i -> i.schema() + "." + i.index()).collect(Collectors.toSet());
            ValidationReport validation = validate(session);
            if (!validation.valid()) {
                failure = validationFailure(validation.message(), validation.problems());
            } else {
                int pending = info.pending().length;
                progress.report("Migrating %s (schemas %s) from version %s: %d pending; lock_timeout %s, statement_timeout %s, "
                                + "up to %d lock-timeout retries", session.database(), String.join(", ", session.schemas()),
                        initialVersion == null ? "<empty>" : initialVersion, pending, Progress.format(settings.lockTimeout()),
                        Progress.format(settings.statementTimeout()), settings.lockRetries());
                failure = applyWithRetries(flyway, tracker, progress, warnings, session.schemas());
            }
            // after a lost connection the server cannot be asked: the migrations that committed before it are the version
            finalVersion = failure != null && failure.kind() == MigrationFailure.Kind.CONNECTION_LOST
                    ? lastVersion(initialVersion, tracker.applied()) : successfulVersion(flyway.info());
        } catch (FlywayException e) {
            throw translate(e, session.schemas(), whatTheHistorySays(tracker.applied()));
        }

        List<InvalidIndex> invalid;
        if (failure != null && failure.kind() == MigrationFailure.Kind.CONNECTION_LOST) {
            invalid = List.of();
            warnings.add("Invalid indexes were not looked for: the database was unreachable. Once it is back: " + INVALID_INDEX_QUERY);
        } else {
            invalid = session.invalidIndexes(invalidBefore);
        }
        List<InvalidIndex> leftByThisRun = invalid.stream().filter(i -> !i.preExisting()).toList();
        invalid.stream().filter(InvalidIndex::preExisting).forEach(i -> warnings.add("Index " + i.schema() + "." + i.index()
                + " was already invalid before this run: " + i.fix()));
        if (!leftByThisRun.isEmpty()) {
            String names = leftByThisRun.stream().map(i -> i.schema() + "." + i.index()).collect(Collectors.joining(", "));
            String fixes = leftByThisRun.stream().map(InvalidIndex::fix).collect(Collectors.joining("; "));
            if (failure == null) {
                failure = new MigrationFailure(MigrationFailure.Kind.INVALID_INDEX, null, null, null, null, null, null, null,
                        "The run left invalid index(es) " + names + " (a CREATE INDEX CONCURRENTLY that did not complete)",
                        null, null, false, 0, fixes);
            } else {
                String drops = leftByThisRun.stream().map(i -> i.fix().substring(0, i.fix().indexOf(';')))
                        .collect(Collectors.joining("; "));
                failure = withFix(failure, "Drop the invalid index(es) it left: " + drops + ". " + failure.fix());
            }
            progress.report("Invalid index(es) left behind: %s", names);
        }
        List<AppliedMigration> applied = tracker.applied();
        long totalMs = (System.nanoTime() - start) / 1_000_000;
        MigrationResult.Status status = failure == null ? MigrationResult.Status.SUCCESS : MigrationResult.Status.FAILED;
        progress.report("%s: %d migration(s) applied in %s, version %s -> %s%s", status == MigrationResult.Status.SUCCESS ? "Done" : "FAILED",
                applied.size(), Progress.format(Duration.ofMillis(totalMs)), initialVersion == null ? "<empty>" : initialVersion,
                finalVersion == null ? "<empty>" : finalVersion, tracker.totalRetries() == 0 ? "" : ", " + tracker.totalRetries() + " lock-timeout retries");
        return new MigrationResult(status, session.database(), session.schemas(), initialVersion, finalVersion, targetLabel(), applied,
                applied.size(), totalMs, tracker.totalRetries(), List.copyOf(warnings), failure, invalid);
    }

    /** Runs Flyway's migrate, again after each lock timeout of a transactional migration, until done or out of retries. */
    private MigrationFailure applyWithRetries(Flyway flyway, MigrationTracker tracker, Progress progress, List<String> warnings,
                                              List<String> schemas) {
        LockTimeoutRetry retry = new LockTimeoutRetry(settings, random, progress);
        try {
            MigrateResult result = retry.run(flyway::migrate, e -> {
                if (e instanceof FlywayMigrateException m
                        && LOCK_NOT_AVAILABLE.equals(sqlState(m)) && m.isExecutableInTransaction()) {
                    String key = MigrationTracker.key(m.getMigration());
                    return new LockTimeoutRetry.Retryable(MigrationTracker.label(m.getMigration()),
                            "rolled back: another transaction holds a lock on its table", tracker.retries(key), () -> tracker.retrying(key));
                }
                return null;
            });
            if (result.warnings != null) {
                warnings.addAll(result.warnings);
            }
            return null;
        } catch (FlywayValidateException e) {
            return validationFailure(e.getMessage(), List.of());
        } catch (FlywayMigrateException e) {
            String sqlState = sqlState(e);
            if (DatabaseTarget.isConnectionLoss(sqlState)) { // the database went away: the migration did not fail
                return connectionLostFailure(e, tracker);
            }
            return describe(e, flyway, tracker, tracker.retries(MigrationTracker.key(e.getMigration())), schemas);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // flyway.migrate() throws unchecked exceptions only
        }
    }

    private MigrationFailure describe(FlywayMigrateException e, Flyway flyway, MigrationTracker tracker, int retries, List<String> schemas) {
        MigrationInfo migration = e.getMigration();
        String sqlState = sqlState(e);
        FlywaySqlScriptException script = cause(e, FlywaySqlScriptException.class);
        String statement = script != null && script.getStatement() != null ? script.getStatement().strip() : tracker.failedStatement();
        Integer line = script != null && script.getLineNumber() > 0 ? Integer.valueOf(script.getLineNumber()) : e.getLineNumber() > 0 ? e.getLineNumber() : null;
        SQLException sql = cause(e, SQLException.class);
        String serverMessage = sql != null ? oneLine(sql.getMessage(), 500) : firstLine(e.getMessage());
        boolean transactional = e.isExecutableInTransaction();
        boolean failedRow = hasFailedHistoryRow(flyway, migration);
        String file = migration.getPhysicalLocation() != null && !migration.getPhysicalLocation().isEmpty() ? migration.getPhysicalLocation()
                : e.getAbsolutePathOnDisk();
        String label = MigrationTracker.label(migration);
        MigrationFailure.Kind kind = LOCK_NOT_AVAILABLE.equals(sqlState) ? MigrationFailure.Kind.LOCK_TIMEOUT
                : QUERY_CANCELED.equals(sqlState) ? MigrationFailure.Kind.STATEMENT_TIMEOUT
                : sqlState != null ? MigrationFailure.Kind.SQL_ERROR : MigrationFailure.Kind.FLYWAY;
        String repairRow = failedRow ? " Then run `runbook repair` (a dry run: it lists the failed history row and the invalid indexes "
                + "this migration left) and `runbook repair --apply` (drops those indexes with DROP INDEX CONCURRENTLY and removes the "
                + "failed row), and run migrate again. By hand: DROP INDEX CONCURRENTLY each invalid index it created, then DELETE FROM "
                + historyTable(flyway, schemas) + " WHERE NOT success." : "";
        String fix = switch (kind) {
            case LOCK_TIMEOUT -> transactional
                    ? "A long transaction kept a lock on the table through " + (retries + 1) + " attempts. Find it (SELECT pid, xact_start, "
                    + "state, query FROM pg_stat_activity WHERE xact_start < now() - interval '1 minute'), let it finish or end it, then "
                    + "run migrate again. Nothing of this migration was applied."
                    : "This migration runs outside a transaction and may have partly run, so it was not retried. Check what it "
                    + "left behind (invalid indexes are listed)." + repairRow;
            case STATEMENT_TIMEOUT -> "A statement ran longer than statement_timeout (" + Progress.format(settings.statementTimeout())
                    + "). If it is expected (CREATE INDEX CONCURRENTLY on a large table), raise --statement-timeout; move data backfills "
                    + "into batched jobs." + (transactional ? " Nothing of this migration was applied." : repairRow);
            default -> transactional
                    ? "Fix the statement in " + migration.getScript() + " and run migrate again. Nothing of this migration was applied "
                    + "(its transaction rolled back)."
                    : "This migration ran outside a transaction: statements before the failing one stay applied; undo or complete them "
                    + "by hand. Fix the cause in " + migration.getScript() + " or in the data (e.g. duplicate rows a unique index rejects)."
                    + repairRow;
        };
        String message = label + " failed (" + migration.getScript() + (line == null ? "" : ", line " + line) + ", SQLSTATE "
                + (sqlState == null ? "unknown" : sqlState) + "): " + serverMessage
                + (statement == null ? "" : " -- statement: " + oneLine(statement, 300));
        return new MigrationFailure(kind, MigrationTracker.version(migration), migration.getDescription(), migration.getScript(), file,
                statement, line, sqlState, message, transactional, transactional, failedRow, retries, fix);
    }

    /**
     * The failure of a migration whose connection broke. Built without asking the server anything (it is gone). A
     * transactional migration that broke on one of its own statements never committed — PostgreSQL rolls back a
     * transaction whose session ends, and Flyway writes the history row in that same transaction — so it is simply run
     * again. One that broke after its statements (the history row or the commit) may have committed; a non-transactional
     * one may have run some statements.
     */
    private MigrationFailure connectionLostFailure(FlywayMigrateException e, MigrationTracker tracker) {
        MigrationInfo migration = e.getMigration();
        String label = MigrationTracker.label(migration);
        boolean transactional = e.isExecutableInTransaction();
        String statement = tracker.failedStatement();
        boolean rolledBack = transactional && statement != null;
        SQLException sql = cause(e, SQLException.class);
        String driverMessage = sql != null ? sql.getMessage() : firstLine(e.getMessage());
        String what = rolledBack ? label + " ran in a transaction that never committed, so PostgreSQL rolled it back: nothing of it was applied."
                : transactional ? label + " ran in a transaction and the connection broke after its statements, around its commit: "
                + "it may or may not have committed."
                : label + " ran outside a transaction: statements before the interruption may have been applied.";
        String message = target.lostConnectionSentence(sqlState(e), driverMessage, label + " (" + migration.getScript() + ") was running")
                + " " + what;
        String fix = "Nothing is wrong with the migration itself. Bring the database back (check that " + target.host() + ":"
                + target.port() + " accepts connections), check the schema history with `runbook migrate --dry-run`, then run "
                + "migrate again" + (rolledBack ? ": " + label + " is applied from the start."
                : transactional ? ": it applies " + label + " if the history does not hold it yet."
                : " once you have undone or completed what " + label + " left (invalid indexes: " + INVALID_INDEX_QUERY + ") and removed "
                + "its failed history row if there is one (`runbook repair`, then `runbook repair --apply`).");
        return new MigrationFailure(MigrationFailure.Kind.CONNECTION_LOST, MigrationTracker.version(migration), migration.getDescription(),
                migration.getScript(), migration.getPhysicalLocation(), statement == null ? null : statement.strip(), null, sqlState(e),
                message, transactional, rolledBack ? Boolean.TRUE : null, false, tracker.retries(MigrationTracker.key(migration)), fix);
    }

    /** After the dry run, validation or pending: they only read. */
    private static final String READ_ONLY_AGAIN = "run it again: it only reads, nothing was changed.";

    /** What to do after the connection broke outside a migration during migrate: the history says what was applied. */
    private static String whatTheHistorySays(List<AppliedMigration> applied) {
        String done = applied.stream().map(m -> m.version() == null ? m.script() : "V" + m.version()).collect(Collectors.joining(", "));
        return "check what the schema history holds with `runbook migrate --dry-run` and run migrate again: it applies what the history "
                + "does not hold yet. " + (applied.isEmpty() ? "This run had applied no migration when the connection broke."
                : "This run had applied and committed " + done + " when the connection broke; they stay applied.")
                + " A migration interrupted before its commit rolled back with its transaction (one that runs outside a transaction, "
                + "such as CREATE INDEX CONCURRENTLY, may have left an invalid index: " + INVALID_INDEX_QUERY + ").";
    }

    /** The version after the migrations that committed in this run (all of them before a failure), else the initial one. */
    private static String lastVersion(String initialVersion, List<AppliedMigration> applied) {
        String version = initialVersion;
        for (AppliedMigration m : applied) {
            if (m.version() != null) {
                version = m.version();
            }
        }
        return version;
    }

    private static MigrationFailure validationFailure(String message, List<ValidationReport.Problem> problems) {
        ValidationReport.Problem first = problems.isEmpty() ? null : problems.get(0);
        String details = problems.isEmpty() ? oneLine(message, 1000) : problems.stream()
                .map(p -> (p.version() == null ? "" : "V" + p.version() + " ") + (p.errorCode() == null ? "" : p.errorCode() + ": ")
                        + oneLine(p.message(), 500))
                .collect(Collectors.joining("; "));
        boolean failedEntry = problems.stream().anyMatch(p -> String.valueOf(p.errorCode()).startsWith("FAILED_"))
                || String.valueOf(message).contains("Detected failed migration");
        List<String> fixes = new ArrayList<>();
        String all = details + " " + message;
        if (all.contains("CHECKSUM_MISMATCH") || all.contains("checksum mismatch")) {
            fixes.add("An applied migration must never change: restore the edited file to what was applied and put the change in a new migration.");
        }
        if (failedEntry) {
            fixes.add("A migration failed earlier outside a transaction: run `runbook repair` to see its failed history row and the invalid "
                    + "indexes it left, `runbook repair --apply` to drop them (DROP INDEX CONCURRENTLY) and remove the row (by hand: "
                    + "DELETE ... WHERE NOT success), fix the cause (the data or the migration), then run migrate again.");
        }
        if (all.contains("NOT_RESOLVED") || all.contains("not resolved locally")) {
            fixes.add("An applied migration's file is missing: restore it to the locations (migrations are never deleted).");
        }
        if (all.contains("NOT_APPLIED") || all.contains("not applied to database")) {
            fixes.add("A new migration has a version below the current one and out-of-order is off: give it a version above the current one.");
        }
        if (fixes.isEmpty()) {
            fixes.add("Make the migration files match the schema history, then run migrate again.");
        }
        return new MigrationFailure(MigrationFailure.Kind.VALIDATION, first == null ? null : first.version(),
                first == null ? null : first.description(), null, first == null ? null : first.file(), null, null, null,
                "Validation refused the migration, nothing was applied: " + details, null, null, failedEntry, 0, String.join(" ", fixes));
    }

    private static MigrationFailure withFix(MigrationFailure f, String fix) {
        return new MigrationFailure(f.kind(), f.version(), f.description(), f.script(), f.file(), f.statement(), f.line(), f.sqlState(),
                f.message(), f.transactional(), f.rolledBack(), f.failedHistoryEntry(), f.retries(), fix);
    }

    private static boolean hasFailedHistoryRow(Flyway flyway, MigrationInfo migration) {
        try {
            return Arrays.stream(flyway.info().all())
                    .filter(m -> MigrationTracker.key(m).equals(MigrationTracker.key(migration)))
                    .anyMatch(m -> m.getState() == MigrationState.FAILED);
        } catch (FlywayException e) {
            return false;
        }
    }

    /** The history table qualified by the schema that holds it: Flyway's first schema, else the connection's current one. */
    private static String historyTable(Flyway flyway, List<String> schemas) {
        return schemas.get(0) + "." + flyway.getConfiguration().getTable();
    }

    /** Flyway's info, with a --target that names no migration reported as the configuration error it is. */
    private MigrationInfoService info(Flyway flyway) {
        try {
            return flyway.info();
        } catch (FlywayException e) {
            if (settings.target() != null && String.valueOf(e.getMessage()).contains("No migration with a target version")) {
                throw RunbookException.configuration("--target " + settings.target() + " names no migration in " + String.join(", ",
                        settings.locations()) + " or the schema history. Pick an existing version (see --dry-run) or leave --target out for the latest.");
            }
            throw e;
        }
    }

    /** The highest version applied successfully (Flyway's current() would name a failed one). */
    static String successfulVersion(MigrationInfoService info) {
        String version = null;
        for (MigrationInfo m : info.applied()) {
            if (m.getVersion() != null && m.getState().isApplied() && !m.getState().isFailed()) {
                version = m.getVersion().getVersion();
            }
        }
        return version;
    }

    private String targetLabel() {
        return settings.target() == null ? "latest" : settings.target();
    }

    /**
     * Flyway checks a placeholder only when it parses the file, so a release whose third migration lacks a value would
     * stop half applied: every pending file, and every SQL callback migrate runs ({@code afterMigrate.sql} ...), is
     * checked first (CONFIGURATION error naming file, placeholder and fix).
     */
    private void requirePlaceholderValues(MigrationInfoService info) {
        Placeholders.requireValues(placeholderFiles(pending(info), settings), settings.placeholders());
    }

    /** The files whose placeholders migrate will replace: the pending migrations on disk and the SQL callbacks. */
    public static List<java.nio.file.Path> placeholderFiles(List<PendingMigration> pending, MigrationSettings settings) {
        List<java.nio.file.Path> files = new ArrayList<>(pending.stream().filter(p -> p.file() != null && !p.file().isEmpty())
                .map(p -> java.nio.file.Path.of(p.file())).toList());
        files.addAll(MigrationLocations.sqlCallbacks(MigrationLocations.resolve(settings)));
        return files;
    }

    private static List<PendingMigration> pending(MigrationInfoService info) {
        return Arrays.stream(info.pending())
                .map(m -> new PendingMigration(MigrationTracker.version(m), m.getDescription(), m.getScript(),
                        m.getType() == null ? null : m.getType().name(), m.getPhysicalLocation(), MigrationTracker.transactional(m)))
                .toList();
    }

    /**
     * Flyway errors outside a migration (reading or writing the history, resolving files) as the runbook's error kinds. A
     * lost connection is the database's shared error ({@link DatabaseTarget#lostConnection}), never a privileges problem.
     *
     * @param then what to do once the server is back: for a migrate, what the history holds
     */
    RunbookException translate(FlywayException e, List<String> schemas, String then) {
        RunbookException lost = target.lostConnection(e, "reading or writing Flyway's schema history (" + schemas.get(0) + "."
                + settings.table() + ")", then);
        if (lost != null) {
            return lost;
        }
        if (e instanceof FlywaySqlException || cause(e, SQLException.class) != null) {
            SQLException sql = cause(e, SQLException.class);
            return RunbookException.environment("Flyway could not read or write the schema history" + (sql == null || sql.getSQLState() == null
                    ? "" : " (SQLSTATE " + sql.getSQLState() + ")") + ": " + firstLine(e.getMessage())
                    + ". Check the user's privileges on the schema (it needs to create, read and write the history table).", e);
        }
        return new RunbookException(RunbookException.Kind.CONFIGURATION, "Flyway refused the migrations: " + firstLine(e.getMessage())
                + ". Check the migration file names (V<version>__<description>.sql) and --locations.", e);
    }

    static String sqlState(Throwable e) {
        if (e instanceof FlywayMigrateException m && m.getSqlState() != null && !m.getSqlState().isEmpty()) {
            return m.getSqlState();
        }
        SQLException sql = cause(e, SQLException.class);
        return sql == null ? null : sql.getSQLState();
    }

    static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    private static String oneLine(String text, int max) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }

    /** The database and schemas the run acts on, read once; also where invalid indexes are looked for. */
    record Session(DatabaseTarget target, String database, List<String> schemas) {

        static Session probe(DatabaseTarget target, MigrationSettings settings) {
            try (Connection c = target.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_database(), current_schema()")) {
                rs.next();
                List<String> schemas = settings.schemas().isEmpty()
                        ? (rs.getString(2) == null ? List.of("public") : List.of(rs.getString(2))) : settings.schemas();
                return new Session(target, rs.getString(1), schemas);
            } catch (SQLException e) {
                throw target.lostConnectionOr(e, "reading the current database and schema", READ_ONLY_AGAIN,
                        () -> RunbookException.environment("Cannot read the current database and schema: " + e.getMessage(), e));
            }
        }

        List<InvalidIndex> invalidIndexes(Set<String> alreadyKnown) {
            try (Connection c = target.connect()) {
                return InvalidIndexes.find(c, alreadyKnown);
            } catch (SQLException e) {
                throw target.lostConnectionOr(e, "looking for invalid indexes (" + INVALID_INDEX_QUERY + ")", "run that query "
                        + "yourself, and `runbook migrate --dry-run` to see what the schema history holds.",
                        () -> RunbookException.environment("Cannot look for invalid indexes: " + e.getMessage(), e));
            }
        }
    }
}
