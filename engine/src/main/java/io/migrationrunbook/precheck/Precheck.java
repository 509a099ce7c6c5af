package io.migrationrunbook.precheck;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.db.ServerInfo;
import io.migrationrunbook.lint.LintReport;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.lint.Linter;
import io.migrationrunbook.lint.Migration;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.migrate.MigrationLocations;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.migrate.PendingMigration;
import io.migrationrunbook.migrate.Placeholders;
import io.migrationrunbook.migrate.ValidationReport;
import io.migrationrunbook.policy.MigrationClassification;
import io.migrationrunbook.policy.PolicyDecision;
import org.flywaydb.core.api.MigrationVersion;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code runbook precheck}, the {@code migrationPrecheck} step's engine: everything that can be known before the
 * release touches the target, read-only. The migrations (present, Flyway names, unique versions, descriptive
 * descriptions, nothing pending below an applied version, Flyway validation), the plan (pending migrations with their
 * classification and the release policy's decision) and the target (server version, long transactions that DDL would
 * queue behind, free space for the backup, the migration user's ownership of the tables the release changes).
 * Every check reports pass / warn / fail; a failed check fails the whole precheck (exit 1).
 */
public final class Precheck {

    /** What to do after a lost connection: the precheck changes nothing. */
    static final String PRECHECK_AGAIN = "run the precheck again: it only reads, nothing was changed.";

    private final DatabaseTarget target;
    private final PrecheckSettings settings;

    private Precheck(DatabaseTarget target, PrecheckSettings settings) {
        this.target = target;
        this.settings = settings;
    }

    public static Precheck of(DatabaseTarget target, PrecheckSettings settings) {
        return new Precheck(target, settings.check());
    }

    public PrecheckResult run(Progress progress) {
        long started = System.nanoTime();
        MigrationSettings migrations = settings.migrations();
        List<CheckResult> checks = new ArrayList<>();
        progress.report("Pre-checks on %s: migrations in %s", target.database(), String.join(", ", migrations.locations()));

        // --- the migration files (no database needed) ---
        List<MigrationFile> files = null;
        try {
            files = scan(MigrationLocations.resolve(migrations));
        } catch (RunbookException e) {
            if (e.kind() != RunbookException.Kind.CONFIGURATION) {
                throw e;
            }
            checks.add(CheckResult.of("migrationsPresent", CheckStatus.FAIL, e.getMessage(), List.of(),
                    "Point --locations at the directory holding the V<version>__<description>.sql files."));
        }
        boolean namesValid = false;
        if (files != null) {
            long count = files.stream().filter(f -> f.kind() == MigrationFile.Kind.VERSIONED || f.kind() == MigrationFile.Kind.REPEATABLE).count();
            checks.add(count == 0
                    ? CheckResult.of("migrationsPresent", CheckStatus.FAIL, "No migration files in " + String.join(", ", migrations.locations()),
                    List.of(), "Check --locations: the migrations must be V<version>__<description>.sql files there.")
                    : CheckResult.pass("migrationsPresent", count + " migration file(s) in " + String.join(", ", migrations.locations())));
            CheckResult naming = naming(files);
            checks.add(naming);
            CheckResult unique = uniqueVersions(files);
            checks.add(unique);
            namesValid = naming.status() != CheckStatus.FAIL && unique.status() != CheckStatus.FAIL && count > 0;
        }

        // --- the target ---
        ServerInfo server;
        History history;
        try (Connection c = target.connect()) {
            server = ServerInfo.read(c);
            history = History.read(c, migrations);
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "reading the server facts and the schema history for the precheck", PRECHECK_AGAIN,
                    () -> RunbookException.environment("Cannot read the server facts and schema history of " + target.database() + ": "
                    + e.getMessage() + ". The migration user needs to read pg_catalog and the history table.", e));
        }
        checks.add(serverVersion(server));

        if (files != null) {
            checks.add(descriptions(files, history));
            checks.add(outOfOrder(files, history));
        }

        // --- Flyway's view: validation and the pending list ---
        ReleasePlan plan = ReleasePlan.empty();
        LintReport lint = null;
        if (namesValid) {
            progress.report("Validating the schema history against the files (checksums, failed entries)");
            ValidationReport validation = new Migrator(target, migrations).validate();
            checks.add(validation(validation));
            List<PendingMigration> pending = new Migrator(target, migrations).pending();
            progress.report("%d migration(s) pending; classifying them", pending.size());
            checks.add(placeholders(pending, migrations));
            lint = classify(pending);
            plan = plan(pending, lint);
            checks.add(policy(plan));
            checks.add(lintFindings(lint));
        } else {
            String why = "skipped: the migration files' names must be valid first (Flyway refuses to read them otherwise)";
            checks.add(CheckResult.skipped("flywayValidation", why));
            checks.add(CheckResult.skipped("placeholders", why));
            checks.add(CheckResult.skipped("releasePolicy", why));
        }

        // --- is it safe to start now? ---
        ReleaseTables tables = lint == null ? ReleaseTables.none() : ReleaseTables.of(lint.migrations());
        Map<String, Long> ddl = TargetFacts.resolveTables(target, tables.ddl(), migrations);
        Map<String, Long> dml = TargetFacts.resolveTables(target, tables.dml().keySet(), migrations);
        Set<Long> changedOids = ddl.values().stream().filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        List<BlockingSession> sessions = TargetFacts.longTransactions(target, settings.longTransactionThreshold(), changedOids);
        checks.add(blockingSessions(sessions));
        checks.add(backupSpace(server));
        if (lint == null) {
            checks.add(CheckResult.skipped("ownership", "skipped: the pending migrations could not be read"));
        } else {
            checks.add(ownership(TargetFacts.ownership(target, ddl, dml, tables.dml())));
        }

        CheckStatus status = checks.stream().map(CheckResult::status).reduce(CheckStatus.PASS, CheckStatus::worst);
        if (status == CheckStatus.SKIPPED) {
            status = CheckStatus.PASS;
        }
        PrecheckResult result = new PrecheckResult(status, server.database(), server.serverVersion(), server.user(),
                history.currentVersion(), List.copyOf(checks), plan, sessions, (System.nanoTime() - started) / 1_000_000);
        progress.report("Pre-checks %s: %s", status.label().toUpperCase(), result.failureSummary());
        return result;
    }

    // ---- the files ----

    /** Every .sql file in the (already resolved and checked) locations. A location inside a jar is left to Flyway. */
    static List<MigrationFile> scan(List<String> locations) {
        List<MigrationFile> files = new ArrayList<>();
        for (String location : locations) {
            for (Path dir : directories(location)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".sql"))
                            .forEach(p -> files.add(MigrationFile.of(p.toString(), p.getFileName().toString())));
                } catch (IOException e) {
                    throw RunbookException.configuration("Cannot list the migration location " + dir + ": " + e.getMessage());
                }
            }
        }
        files.sort(Comparator.comparing(MigrationFile::sortKey).thenComparing(MigrationFile::path));
        return files;
    }

    private static List<Path> directories(String location) {
        if (location.startsWith("filesystem:")) {
            return List.of(Path.of(location.substring("filesystem:".length())));
        }
        String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        List<Path> dirs = new ArrayList<>();
        try {
            Enumeration<URL> urls = Thread.currentThread().getContextClassLoader().getResources(path);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                if ("file".equals(url.getProtocol())) {
                    dirs.add(Path.of(url.toURI()));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw RunbookException.configuration("Cannot read the migration location " + location + ": " + e.getMessage());
        }
        return dirs;
    }

    static CheckResult naming(List<MigrationFile> files) {
        List<String> bad = files.stream().filter(f -> f.kind() == MigrationFile.Kind.INVALID)
                .map(f -> f.name() + ": " + f.problem()).toList();
        return bad.isEmpty() ? CheckResult.pass("naming", "every file follows Flyway's naming")
                : CheckResult.of("naming", CheckStatus.FAIL, bad.size() + " file(s) do not follow Flyway's naming: Flyway refuses the whole location",
                bad, "Rename them V<version>__<what_it_changes>.sql (or R__<description>.sql for repeatable ones).");
    }

    static CheckResult uniqueVersions(List<MigrationFile> files) {
        Map<MigrationVersion, List<String>> byVersion = new TreeMap<>();
        for (MigrationFile f : files) {
            if (f.kind() == MigrationFile.Kind.VERSIONED) {
                byVersion.computeIfAbsent(f.flywayVersion(), v -> new ArrayList<>()).add(f.name());
            }
        }
        List<String> duplicates = byVersion.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> "version " + e.getKey() + ": " + String.join(", ", e.getValue())).toList();
        return duplicates.isEmpty() ? CheckResult.pass("uniqueVersions", byVersion.size() + " distinct version(s)")
                : CheckResult.of("uniqueVersions", CheckStatus.FAIL, duplicates.size() + " version(s) used by more than one file", duplicates,
                "Give each migration its own version: renumber the newer file above the current highest version.");
    }

    CheckResult descriptions(List<MigrationFile> files, History history) {
        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (MigrationFile f : files) {
            boolean pending = switch (f.kind()) {
                case VERSIONED -> !history.isApplied(f.flywayVersion());
                case REPEATABLE -> !history.scripts().contains(f.name());
                default -> false;
            };
            if (!pending) {
                continue; // an applied migration cannot be renamed any more
            }
            checked++;
            String problem = settings.descriptionRule().problem(f.description());
            if (problem != null) {
                bad.add(f.name() + ": " + problem);
            }
        }
        return bad.isEmpty() ? CheckResult.pass("descriptions", checked + " pending migration(s) with descriptive names")
                : CheckResult.of("descriptions", CheckStatus.FAIL, bad.size() + " pending migration(s) without a descriptive name", bad,
                "Name each migration after what it changes, e.g. V7__add_email_to_customers.sql (the name is the change log an operator reads).");
    }

    static CheckResult outOfOrder(List<MigrationFile> files, History history) {
        MigrationVersion highest = history.highestApplied();
        if (highest == null) {
            return CheckResult.pass("outOfOrder", "nothing applied yet");
        }
        List<String> below = files.stream()
                .filter(f -> f.kind() == MigrationFile.Kind.VERSIONED && !history.isApplied(f.flywayVersion())
                        && f.flywayVersion().compareTo(highest) < 0)
                .map(f -> f.name() + " (version " + f.version() + ") sorts before the applied version " + highest)
                .toList();
        return below.isEmpty() ? CheckResult.pass("outOfOrder", "every pending version is above the applied " + highest)
                : CheckResult.of("outOfOrder", CheckStatus.FAIL, below.size() + " pending migration(s) sort before an applied version: "
                        + "Flyway would ignore them (out-of-order is off)", below,
                "Renumber them above " + highest + " (a migration written on an older branch must get a new version before it ships).");
    }

    // ---- Flyway and the plan ----

    static CheckResult validation(ValidationReport v) {
        if (v.valid()) {
            return CheckResult.pass("flywayValidation", v.migrationsChecked() + " applied migration(s) match their files");
        }
        List<String> details = v.problems().stream().map(p -> (p.version() == null ? "" : "V" + p.version() + " ")
                + (p.errorCode() == null ? "" : p.errorCode() + ": ") + p.message()).toList();
        return CheckResult.of("flywayValidation", CheckStatus.FAIL, "Flyway validation fails: " + oneLine(v.message()),
                details.isEmpty() ? List.of(oneLine(v.message())) : details,
                "An applied migration must never change: restore edited files to what was applied and put changes in a new "
                        + "migration; a failed entry needs its leftovers undone and its row removed from the history (`runbook repair`, then `runbook repair --apply`).");
    }

    /** Flyway stops at a pending migration whose placeholder has no value: migrate would refuse the release (exit 2). */
    static CheckResult placeholders(List<PendingMigration> pending, MigrationSettings migrations) {
        Map<Path, List<Placeholders.Use>> missing = Placeholders.missing(Migrator.placeholderFiles(pending, migrations),
                migrations.placeholders());
        if (missing.isEmpty()) {
            return CheckResult.pass("placeholders", migrations.placeholders().isEmpty()
                    ? "no pending migration or SQL callback uses a Flyway placeholder without a value"
                    : "every placeholder of the pending migrations and SQL callbacks has a value (" + String.join(", ", migrations.placeholders().keySet()) + ")");
        }
        List<String> details = new ArrayList<>();
        missing.forEach((file, uses) -> details.add(file.getFileName() + ": " + uses.stream()
                .map(u -> "${" + u.name() + "} (line " + u.line() + ")").collect(Collectors.joining(", "))));
        return CheckResult.of("placeholders", CheckStatus.FAIL, "pending migrations or SQL callbacks use Flyway placeholders without a value: migrate "
                        + "would refuse the release", details, Placeholders.message(missing));
    }

    private LintReport classify(List<PendingMigration> pending) {
        List<Path> files = pending.stream().map(PendingMigration::file).filter(f -> f != null && !f.isEmpty()).map(Path::of).toList();
        LintSettings lint = LintSettings.defaults().withDatabase(target).withPolicy(settings.policy())
                .withApproveBreaking(settings.approveBreaking()).withBackfillRowThreshold(settings.backfillRowThreshold())
                .withPlaceholders(settings.migrations().placeholders());
        return Linter.lint(files, lint);
    }

    private static ReleasePlan plan(List<PendingMigration> pending, LintReport lint) {
        Map<String, MigrationClassification> byFile = new LinkedHashMap<>();
        lint.classification().migrations().forEach(m -> byFile.put(m.file(), m));
        Map<String, Migration> parsed = new LinkedHashMap<>();
        lint.migrations().forEach(m -> parsed.put(m.path(), m));
        List<ReleasePlan.PlannedMigration> planned = new ArrayList<>();
        for (PendingMigration p : pending) {
            MigrationClassification c = p.file() == null ? null : byFile.get(p.file());
            Migration m = p.file() == null ? null : parsed.get(p.file());
            planned.add(new ReleasePlan.PlannedMigration(p.version(), p.description(), p.script(), p.file(), p.transactional(),
                    c == null ? Set.of() : c.classes(), c == null || c.consumersMustPause(), c == null ? List.of() : c.changes(),
                    m == null ? List.of() : List.copyOf(ReleaseTables.of(List.of(m)).ddl())));
        }
        PolicyDecision d = lint.decision();
        boolean unclassified = planned.stream().anyMatch(p -> p.file() == null || p.file().isEmpty());
        List<String> pauseReasons = new ArrayList<>(d.pauseReasons());
        if (unclassified) {
            pauseReasons.add("some pending migrations are inside a jar and could not be classified: pausing to be safe");
        }
        return new ReleasePlan(List.copyOf(planned), d.classes(), d.consumersMustPause() || unclassified, List.copyOf(pauseReasons),
                d.needsApproval(), d.approvalReasons(), d.approved(), d.refusals(), d.allowed());
    }

    static CheckResult policy(ReleasePlan plan) {
        if (!plan.refusals().isEmpty()) {
            return CheckResult.of("releasePolicy", CheckStatus.FAIL, "the release policy refuses this release", plan.refusals(),
                    "Change the release, not the policy: ship breaking and non-breaking changes separately, move backfills into batch jobs.");
        }
        if (plan.needsApproval() && !plan.approved()) {
            return CheckResult.of("releasePolicy", CheckStatus.WARN, "needs approval before it runs", plan.approvalReasons(),
                    "A human approves it at the runbook's approval gate (CLI: --approve-breaking / --approve-as; Jenkins: the input step).");
        }
        String pause = plan.consumersMustPause() ? "consumers must be paused" : "no consumer pause needed";
        return CheckResult.pass("releasePolicy", (plan.pending().isEmpty() ? "nothing pending" : "allowed") + "; " + pause);
    }

    static CheckResult lintFindings(LintReport lint) {
        List<String> errors = lint.findings().stream().filter(f -> f.severity() == Severity.ERROR)
                .map(f -> Path.of(f.file()).getFileName() + ":" + f.line() + " " + f.rule() + ": " + f.message()).toList();
        return errors.isEmpty() ? CheckResult.pass("lint", lint.summary().statements() + " pending statement(s), no lint error")
                : CheckResult.of("lint", CheckStatus.WARN, errors.size() + " lint error(s) in the pending migrations", errors,
                "See `runbook lint` for the safe alternative of each, or waive one with -- runbook:allow <rule> <reason>.");
    }

    // ---- the target ----

    static CheckResult serverVersion(ServerInfo server) {
        if (server.majorVersion() < 12) {
            return CheckResult.of("serverVersion", CheckStatus.WARN, "PostgreSQL " + server.serverVersion()
                            + ": the classification assumes PostgreSQL 12+ (catalog-only ADD COLUMN DEFAULT, CONCURRENTLY forms)", List.of(),
                    "Expect rewrites and longer locks than classified; rehearse the release on a copy first (runbook rehearse).");
        }
        return CheckResult.pass("serverVersion", "PostgreSQL " + server.serverVersion());
    }

    CheckResult blockingSessions(List<BlockingSession> sessions) {
        String threshold = Progress.format(settings.longTransactionThreshold());
        if (sessions.isEmpty()) {
            return CheckResult.pass("blockingSessions", "no transaction older than " + threshold);
        }
        List<String> details = sessions.stream().map(s -> "pid " + s.pid() + " (" + (s.application() == null || s.application().isEmpty()
                        ? "no application name" : s.application()) + ", user " + s.user() + ", " + s.state()
                        + (s.transactionAgeSeconds() < 0 ? "" : ", transaction open "
                        + Progress.format(java.time.Duration.ofSeconds(s.transactionAgeSeconds()))) + ")"
                        + (s.lockedTables().isEmpty() ? "" : " holds locks on " + String.join(", ", s.lockedTables()))
                        + (s.blocksRelease() ? ": the release changes these tables, its DDL would queue behind this session" : ""))
                .toList();
        List<BlockingSession> visible = sessions.stream().filter(s -> s.transactionAgeSeconds() >= 0).toList();
        boolean blocking = visible.stream().anyMatch(BlockingSession::blocksRelease);
        boolean hiddenBlocking = sessions.stream().anyMatch(s -> s.transactionAgeSeconds() < 0 && s.blocksRelease());
        String fix = "Let them finish or end them (SELECT pg_terminate_backend(pid)) before starting; find the owner by application "
                + "and user. Idle-in-transaction sessions are application bugs: set idle_in_transaction_session_timeout."
                + (sessions.size() > visible.size() ? " Grant the migration user pg_read_all_stats so it can see how old other "
                + "users' transactions are." : "");
        if (blocking) {
            String pids = visible.stream().filter(BlockingSession::blocksRelease).map(s -> Integer.toString(s.pid()))
                    .collect(Collectors.joining(", "));
            return CheckResult.of("blockingSessions", CheckStatus.FAIL, "session(s) " + pids
                    + " hold locks on tables the release changes, in transactions older than " + threshold, details, fix);
        }
        String summary = hiddenBlocking
                ? "session(s) of other users hold locks on tables the release changes; their age is hidden from the migration user"
                : visible.isEmpty() ? (sessions.size() + " session(s) of other users hold locks; their age is hidden from the migration user")
                : visible.size() + " transaction(s) older than " + threshold + " (no lock on a table the release changes)";
        return CheckResult.of("blockingSessions", CheckStatus.WARN, summary, details, fix);
    }

    CheckResult backupSpace(ServerInfo server) {
        Path dir = settings.backupDirectory();
        if (dir == null) {
            return CheckResult.skipped("backupSpace", "no backup directory given (--backup-dir)");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return CheckResult.of("backupSpace", CheckStatus.FAIL, "the backup directory " + dir + " has no existing parent", List.of(),
                    "Create the backup directory or pass another --backup-dir.");
        }
        long free;
        try {
            FileStore store = Files.getFileStore(existing);
            free = store.getUsableSpace();
        } catch (IOException e) {
            return CheckResult.of("backupSpace", CheckStatus.FAIL, "cannot read the free space of " + existing + ": " + e.getMessage(),
                    List.of(), "Check that the backup directory is readable.");
        }
        long needed = (long) Math.ceil(server.databaseSizeBytes() * settings.backupSpaceFactor());
        String text = mb(free) + " free in " + existing + ", database " + mb(server.databaseSizeBytes()) + " (needed " + mb(needed)
                + " = database size x " + settings.backupSpaceFactor() + ")";
        return free >= needed ? CheckResult.pass("backupSpace", text)
                : CheckResult.of("backupSpace", CheckStatus.FAIL, "not enough space for the backup: " + text, List.of(),
                "Free space in the backup directory or point the backup at a larger volume before starting.");
    }

    static CheckResult ownership(List<TargetFacts.Privilege> privileges) {
        List<String> missing = privileges.stream().filter(p -> p.status() == TargetFacts.Privilege.Status.MISSING)
                .map(p -> p.table() + ": " + p.problem()).toList();
        List<String> unknown = privileges.stream().filter(p -> p.status() == TargetFacts.Privilege.Status.UNKNOWN)
                .map(p -> p.table() + ": not found on the target").toList();
        if (!missing.isEmpty()) {
            List<String> all = new ArrayList<>(missing);
            all.addAll(unknown);
            return CheckResult.of("ownership", CheckStatus.FAIL, missing.size() + " table(s) the release changes are not the migration user's",
                    all, "Run the migrations as the tables' owner (or a member of the owning role), or transfer ownership first: "
                            + "ALTER TABLE ... OWNER TO <migration user>; DML needs the INSERT/UPDATE/DELETE privilege.");
        }
        if (!unknown.isEmpty()) {
            return CheckResult.of("ownership", CheckStatus.WARN, unknown.size() + " table(s) the release changes do not exist on the target",
                    unknown, "The migration will fail on them unless an earlier one creates them: check the table names.");
        }
        return CheckResult.pass("ownership", privileges.isEmpty() ? "the release changes no existing table"
                : "the migration user owns (or may change) all " + privileges.size() + " table(s) the release changes");
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1024.0 / 1024.0);
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }
}
