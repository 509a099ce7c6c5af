package io.migrationrunbook.demo;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares what a {@link SteadyLoad} produced with what the persistence consumers applied: nothing lost, nothing doubled.
 * <ul>
 *   <li>{@code processed}: produced event ids present in {@code processed_events};</li>
 *   <li>{@code lost}: produced ids that are not;</li>
 *   <li>{@code duplicates}: applications beyond one per event, measured independently of the unique key — from
 *       {@code positions.transaction_count} of the load's own portfolios (every application adds 1);</li>
 *   <li>{@code duplicateDeliveriesSkipped}: redeliveries the service recognised and skipped (from its stats; not an error).</li>
 * </ul>
 */
public final class DeliveryVerifier {

    /** Jackson-serializable: the demo's report embeds it as {@code events}. */
    public record DeliveryReport(
            long produced,
            long processed,
            long duplicates,
            long lost,
            long processedWithoutAcknowledgement,
            long failedSends,
            Long duplicateDeliveriesSkipped,
            List<String> lostSample) {

        /** Every produced event processed exactly once. */
        public boolean exactlyOnce() {
            return lost == 0 && duplicates == 0 && processed == produced;
        }

        public DeliveryReport withDuplicateDeliveriesSkipped(long skipped) {
            return new DeliveryReport(produced, processed, duplicates, lost, processedWithoutAcknowledgement, failedSends, skipped, lostSample);
        }

        @Override
        public String toString() {
            return "produced " + produced + ", processed " + processed + ", duplicates " + duplicates + ", lost " + lost
                    + (lostSample.isEmpty() ? "" : " (e.g. " + lostSample + ")");
        }
    }

    private DeliveryVerifier() {
    }

    public static DeliveryReport verify(Connection connection, SteadyLoad.Produced produced) throws SQLException {
        Set<String> processedIds = new HashSet<>();
        long processedWithPrefix;
        long applications;
        Array ids = connection.createArrayOf("text", produced.eventIds().toArray());
        try (PreparedStatement s = connection.prepareStatement("SELECT event_id FROM processed_events WHERE event_id = ANY(?)")) {
            s.setArray(1, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    processedIds.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM processed_events WHERE event_id LIKE ?")) {
            s.setString(1, produced.runId() + "-%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                processedWithPrefix = rs.getLong(1);
            }
        }
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT coalesce(sum(transaction_count), 0) FROM positions WHERE portfolio_id = ANY(?)")) {
            s.setArray(1, connection.createArrayOf("text", produced.portfolioIds().toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                applications = rs.getLong(1);
            }
        }
        List<String> lostSample = new ArrayList<>();
        long lost = 0;
        for (String id : produced.eventIds()) {
            if (!processedIds.contains(id)) {
                lost++;
                if (lostSample.size() < 10) {
                    lostSample.add(id);
                }
            }
        }
        long withoutAck = processedWithPrefix - processedIds.size();
        long duplicates = Math.max(0, applications - processedWithPrefix);
        return new DeliveryReport(produced.count(), processedIds.size(), duplicates, lost, withoutAck, produced.failedSends(), null,
                List.copyOf(lostSample));
    }

    /** Polls {@link #verify} until nothing is missing any more or the deadline passes; returns the last report. */
    public static DeliveryReport awaitAllProcessed(Connection connection, SteadyLoad.Produced produced, Duration deadline)
            throws SQLException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        DeliveryReport report = verify(connection, produced);
        while (report.lost() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
            report = verify(connection, produced);
        }
        return report;
    }
}
