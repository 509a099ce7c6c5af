package io.migrationrunbook.rehearse;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.lint.Migration;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.StatementKind;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.PendingMigration;
import io.migrationrunbook.schema.SnapshotReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Runs one migration file on the scratch database the way Flyway would (one transaction, or statement by statement
 * when Flyway runs the file without one) and observes every statement on its own connection: the relation locks its
 * backend holds after it (pg_locks WHERE pid = pg_backend_pid(), before the transaction ends), the tables whose
 * relfilenode changed, duration and rows.
 */
final class StatementRunner {

    private static final String RELATIONS = "SELECT c.oid, n.nspname || '.' || c.relname, c.relfilenode FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') "
            + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";
    private static final String LOCKS = "SELECT l.relation, COALESCE(n.nspname || '.' || c.relname, l.relation::regclass::text), l.mode "
            + "FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation LEFT JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE l.pid = ? AND l.locktype = 'relation' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            + "AND COALESCE(n.nspname, '') NOT IN ('pg_catalog', 'information_schema') AND c.relkind IS DISTINCT FROM 'v'";

    private final DatabaseTarget scratch;
    private final MigrationSettings migrations;
    private final Duration budget;

    StatementRunner(DatabaseTarget scratch, MigrationSettings migrations, Duration budget) {
        this.scratch = scratch;
        this.migrations = migrations;
        this.budget = budget;
    }

    record MigrationRun(RehearsalResult.RehearsedMigration migration, List<RehearsalResult.LockPhase> phases, String failure) {
    }

    private record Relation(long oid, String name, long relfilenode) {
    }

    private record HeldLock(long oid, String relation, String mode) {
    }

    MigrationRun run(PendingMigration pending, Migration migration, boolean transactional) {
        String label = pending.script();
        List<RehearsalResult.RehearsedStatement> statements = new ArrayList<>();
        List<RehearsalResult.LockPhase> phases = new ArrayList<>();
        String failure = null;
        long commitMs = 0;
        try (Connection c = scratch.connect()) {
            int pid = pid(c);
            try (Statement s = c.createStatement()) {
                s.execute("SET statement_timeout = '" + migrations.statementTimeout().toMillis() + "ms'");
                if (!migrations.schemas().isEmpty()) {
                    s.execute("SET search_path TO " + migrations.schemas().stream().map(SnapshotReader::quoteIdentifier)
                            .collect(Collectors.joining(", ")));
                }
            }
            Map<Long, Relation> existing = relations(c);
            if (transactional) {
                c.setAutoCommit(false);
                Set<HeldLock> held = new LinkedHashSet<>();
                List<long[]> phaseStarts = new ArrayList<>(); // index into statements, oid
                List<HeldLock> phaseLocks = new ArrayList<>();
                for (ParsedStatement p : migration.statements()) {
                    Observed o = observe(c, pid, p, held, true);
                    statements.add(o.statement());
                    if (o.statement().error() != null) {
                        failure = label + ":" + p.line() + " failed: " + o.statement().error();
                        break;
                    }
                    for (HeldLock lock : o.newLocks()) {
                        if (writeBlocking(lock.mode()) && existing.containsKey(lock.oid())) {
                            phaseStarts.add(new long[] {statements.size() - 1});
                            phaseLocks.add(lock);
                        }
                    }
                }
                long commitStart = System.nanoTime();
                if (failure == null) {
                    c.commit();
                } else {
                    c.rollback();
                }
                commitMs = Rehearsal.ms(System.nanoTime() - commitStart);
                if (failure == null) {
                    for (int k = 0; k < phaseLocks.size(); k++) {
                        int from = (int) phaseStarts.get(k)[0];
                        long duration = commitMs;
                        for (int j = from; j < statements.size(); j++) {
                            duration += statements.get(j).durationMs();
                        }
                        HeldLock lock = phaseLocks.get(k);
                        phases.add(new RehearsalResult.LockPhase(lock.relation(), lock.mode(), label, statements.get(from).line(), duration,
                                duration > budget.toMillis()));
                    }
                }
            } else {
                for (ParsedStatement p : migration.statements()) {
                    Observed o;
                    if (p.cannotRunInTransaction() || p.kind() == StatementKind.BEGIN || p.kind() == StatementKind.COMMIT
                            || p.kind() == StatementKind.ROLLBACK) {
                        c.setAutoCommit(true);
                        o = observeSampled(c, pid, p);
                    } else {
                        // the statement is its own transaction either way; an explicit one lets its own backend report its locks
                        c.setAutoCommit(false);
                        o = observe(c, pid, p, new LinkedHashSet<>(), true);
                        long commitStart = System.nanoTime();
                        if (o.statement().error() == null) {
                            c.commit();
                        } else {
                            c.rollback();
                        }
                        o = o.plus(Rehearsal.ms(System.nanoTime() - commitStart));
                    }
                    statements.add(o.statement());
                    for (HeldLock lock : o.newLocks()) {
                        if (writeBlocking(lock.mode()) && existing.containsKey(lock.oid())) {
                            long d = o.statement().durationMs();
                            phases.add(new RehearsalResult.LockPhase(lock.relation(), lock.mode(), label, p.line(), d, d > budget.toMillis()));
                        }
                    }
                    if (o.statement().error() != null) {
                        failure = label + ":" + p.line() + " failed: " + o.statement().error()
                                + " (the statements before it stay applied: the file runs without a transaction)";
                        break;
                    }
                }
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw scratch.lostConnectionOr(e, "rehearsing " + label + " on the scratch database", "run the rehearsal again: it never "
                    + "changes the target (a scratch database it could not drop is named above: DROP DATABASE it).",
                    () -> RunbookException.environment("The rehearsal lost its scratch database connection: " + e.getMessage(), e));
        }
        // the migration's own time: its statements and its commit, not the observation queries around them
        long own = statements.stream().mapToLong(RehearsalResult.RehearsedStatement::durationMs).sum() + commitMs;
        return new MigrationRun(new RehearsalResult.RehearsedMigration(pending.version(), pending.description(), pending.script(),
                transactional, own, List.copyOf(statements), failure == null), phases, failure);
    }

    /** Modes that block writers (INSERT/UPDATE/DELETE take ROW EXCLUSIVE, which these conflict with). */
    private static boolean writeBlocking(String mode) {
        return Rehearsal.WRITE_BLOCKING.contains(mode);
    }

    private record Observed(RehearsalResult.RehearsedStatement statement, List<HeldLock> newLocks) {
        Observed plus(long commitMs) {
            RehearsalResult.RehearsedStatement s = statement;
            return new Observed(new RehearsalResult.RehearsedStatement(s.line(), s.statement(), s.inTransaction(), s.durationMs() + commitMs,
                    s.locks(), s.lockSource(), s.rewritten(), s.rowsAffected(), s.error()), newLocks);
        }
    }

    /** Runs a statement inside the connection's open transaction and reads its locks and rewrites before it ends. */
    private Observed observe(Connection c, int pid, ParsedStatement p, Set<HeldLock> held, boolean inTransaction) throws SQLException {
        Map<Long, Relation> before = relations(c);
        long start = System.nanoTime();
        Long rows = null;
        String error = null;
        try (Statement s = c.createStatement()) {
            boolean resultSet = s.execute(p.statement().text());
            if (!resultSet && p.kind().isDml()) {
                rows = (long) s.getUpdateCount();
            }
        } catch (SQLException e) {
            if (DatabaseTarget.isConnectionLoss(e.getSQLState())) {
                throw e; // the scratch server went away: not a failure of the migration
            }
            error = "SQLSTATE " + e.getSQLState() + ": " + e.getMessage().replaceAll("\\s+", " ");
        }
        long duration = Rehearsal.ms(System.nanoTime() - start);
        if (error != null) {
            return new Observed(new RehearsalResult.RehearsedStatement(p.line(), p.statement().summary(), inTransaction, duration,
                    List.of(), "own-backend", List.of(), null, error), List.of());
        }
        Set<HeldLock> now = locks(c, pid);
        List<HeldLock> fresh = now.stream().filter(l -> !held.contains(l)).toList();
        held.addAll(now);
        List<String> rewritten = rewritten(before, relations(c));
        return new Observed(new RehearsalResult.RehearsedStatement(p.line(), p.statement().summary(), inTransaction, duration,
                fresh.stream().map(l -> new RehearsalResult.Lock(l.relation(), l.mode())).toList(), "own-backend", rewritten, rows, null),
                fresh);
    }

    /** A statement that cannot run in a transaction (CONCURRENTLY): its locks are sampled from a second session while it runs. */
    private Observed observeSampled(Connection c, int pid, ParsedStatement p) throws SQLException {
        Map<Long, Relation> before = relations(c);
        Set<HeldLock> seen = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            try (Connection watcher = scratch.connect()) {
                while (running.get()) {
                    seen.addAll(locks(watcher, pid));
                    Thread.sleep(2);
                }
            } catch (SQLException | InterruptedException | RuntimeException ignored) {
                // sampling is best effort
            }
        }, "runbook-rehearsal-lock-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        String error = null;
        try (Statement s = c.createStatement()) {
            s.execute(p.statement().text());
        } catch (SQLException e) {
            if (DatabaseTarget.isConnectionLoss(e.getSQLState())) {
                throw e; // the scratch server went away: not a failure of the migration
            }
            error = "SQLSTATE " + e.getSQLState() + ": " + e.getMessage().replaceAll("\\s+", " ");
        } finally {
            running.set(false);
            try {
                sampler.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long duration = Rehearsal.ms(System.nanoTime() - start);
        List<HeldLock> locks;
        synchronized (seen) {
            locks = List.copyOf(seen);
        }
        return new Observed(new RehearsalResult.RehearsedStatement(p.line(), p.statement().summary(), false, duration,
                locks.stream().map(l -> new RehearsalResult.Lock(l.relation(), l.mode())).toList(), "sampled",
                error == null ? rewritten(before, relations(c)) : List.of(), null, error), locks);
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Set<HeldLock> locks(Connection c, int pid) throws SQLException {
        Set<HeldLock> locks = new LinkedHashSet<>();
        try (PreparedStatement p = c.prepareStatement(LOCKS)) {
            p.setInt(1, pid);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    locks.add(new HeldLock(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return locks;
    }

    private static Map<Long, Relation> relations(Connection c) throws SQLException {
        Map<Long, Relation> relations = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(RELATIONS)) {
            while (rs.next()) {
                relations.put(rs.getLong(1), new Relation(rs.getLong(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return relations;
    }

    private static List<String> rewritten(Map<Long, Relation> before, Map<Long, Relation> after) {
        List<String> tables = new ArrayList<>();
        for (Relation b : before.values()) {
            Relation a = after.get(b.oid());
            if (a != null && a.relfilenode() != b.relfilenode() && b.relfilenode() != 0) {
                tables.add(a.name());
            }
        }
        return tables;
    }
}
