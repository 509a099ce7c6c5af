package io.migrationrunbook.fleet;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Migrates a fleet of databases with the same migrations, at most {@code parallelism} at a time. Each database gets its
 * own {@link Migrator} (same lock timeout and retries as a single run); a failure on one database is recorded in its
 * result and does not stop or undo the others. Bad settings are refused before any database is touched.
 *
 * <pre>{@code
 * FleetResult result = new FleetMigration(settings).parallelism(4)
 *         .add("tenant-a", targetA).add("tenant-b", targetB)
 *         .migrate(progress);
 * }</pre>
 */
public final class FleetMigration {

    public static final int MAX_PARALLELISM = 64;

    /** One database of the fleet, named for the report (e.g. the tenant). */
    public record Member(String name, DatabaseTarget target) {
        public Member {
            Objects.requireNonNull(target, "target");
        }
    }

    private final MigrationSettings settings;
    private final List<Member> members = new ArrayList<>();
    private int parallelism = 1;

    public FleetMigration(MigrationSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public FleetMigration add(String name, DatabaseTarget target) {
        members.add(new Member(name, target));
        return this;
    }

    public FleetMigration parallelism(int parallelism) {
        this.parallelism = parallelism;
        return this;
    }

    /** Rejects an empty fleet, duplicate or blank names and a parallelism outside 1..{@value #MAX_PARALLELISM}. */
    public FleetMigration check() {
        settings.check();
        if (members.isEmpty()) {
            throw RunbookException.configuration("The fleet has no database: add at least one target.");
        }
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw RunbookException.configuration("Fleet parallelism must be between 1 and " + MAX_PARALLELISM + ", got " + parallelism
                    + ": each parallel migration holds a database connection and competes for the server's I/O.");
        }
        Set<String> names = new HashSet<>();
        for (Member member : members) {
            if (member.name() == null || member.name().isBlank()) {
                throw RunbookException.configuration("Every fleet database needs a name (for the report): " + member.target() + " has none.");
            }
            if (!names.add(member.name())) {
                throw RunbookException.configuration("The fleet names database '" + member.name() + "' twice: give each database a unique name.");
            }
        }
        return this;
    }

    /**
     * Migrates every database, {@code parallelism} at a time, and returns one result per database in the order they were
     * added. Never throws for a database's failure (unreachable, failed migration): that is in its {@link MemberResult}.
     */
    public FleetResult migrate(Progress progress) {
        check();
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, members.size()), r -> {
            Thread thread = new Thread(r, "fleet-migrate");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<MemberResult>> futures = new ArrayList<>();
            for (Member member : members) {
                futures.add(pool.submit(() -> {
                    MemberResult result = migrateOne(member);
                    progress.report("Fleet %d/%d: %s %s in %s%s", done.incrementAndGet(), members.size(), member.name(),
                            result.succeeded() ? "migrated" : "FAILED", Progress.format(java.time.Duration.ofMillis(result.durationMs())),
                            result.succeeded() ? "" : ": " + result.error());
                    return result;
                }));
            }
            List<MemberResult> results = new ArrayList<>();
            for (Future<MemberResult> future : futures) {
                results.add(future.get());
            }
            long totalMs = (System.nanoTime() - start) / 1_000_000;
            int failed = (int) results.stream().filter(r -> !r.succeeded()).count();
            progress.report("Fleet: %d of %d database(s) migrated, %d failed, in %s (parallelism %d)", results.size() - failed,
                    results.size(), failed, Progress.format(java.time.Duration.ofMillis(totalMs)), parallelism);
            return new FleetResult(results.size(), parallelism, results.size() - failed, failed, totalMs, List.copyOf(results));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("The fleet migration was interrupted; databases already started finish their "
                    + "current migration. Check each database's schema history (runbook migrate --dry-run) before rerunning.", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("unexpected failure in a fleet worker", e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private MemberResult migrateOne(Member member) {
        long start = System.nanoTime();
        try {
            MigrationResult result = new Migrator(member.target(), settings).migrate(Progress.silent());
            long ms = (System.nanoTime() - start) / 1_000_000;
            String error = result.succeeded() ? null : result.failure().message() + (result.failure().fix() == null ? "" : " Fix: " + result.failure().fix());
            return new MemberResult(member.name(), member.target().database(), result.succeeded(), result, error, ms);
        } catch (RuntimeException e) {
            return new MemberResult(member.name(), member.target().database(), false, null, e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        }
    }
}
