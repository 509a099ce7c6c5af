package io.migrationrunbook.dberrors;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/** Samples {@code pg_stat_database} twice, a window apart, and turns the difference into rates. */
public final class ErrorRateSampler {

    private static final String SQL = "SELECT xact_commit, xact_rollback, deadlocks, conflicts, temp_files "
            + "FROM pg_stat_database WHERE datname = current_database()";

    private final Clock clock;

    public ErrorRateSampler(Clock clock) {
        this.clock = clock;
    }

    public ErrorRates measure(DatabaseTarget target, Duration window, Progress progress) {
        try (Connection connection = target.connect()) {
            StatCounters first = read(connection);
            progress.report("Sampling database error counters over %s ...", Progress.format(window));
            Thread.sleep(window.toMillis());
            // statistics are sent by backends at most every PGSTAT_MIN_INTERVAL; clear the snapshot cache of this session
            try (var s = connection.createStatement()) {
                s.execute("SELECT pg_stat_clear_snapshot()");
            }
            StatCounters second = read(connection);
            return ErrorRates.between(first, second);
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "sampling the database's error counters (pg_stat_database)", "sample again: it only reads.",
                    () -> RunbookException.environment("Cannot read pg_stat_database: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted while sampling database error counters");
        }
    }

    StatCounters read(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw RunbookException.environment("pg_stat_database has no row for this database.");
            }
            return new StatCounters(clock.instant(), rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }
}
