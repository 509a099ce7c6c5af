package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.GroupVerification;
import io.migrationrunbook.consumers.PartitionPause;
import io.migrationrunbook.lag.GroupLagEvaluation;
import io.migrationrunbook.lag.PartitionLag;

import java.util.List;

/** Human tables for pause, resume and lag results (the JSON carries the same facts). */
final class ConsumerTables {

    private ConsumerTables() {
    }

    static String verification(List<GroupVerification> groups) {
        StringBuilder out = new StringBuilder();
        for (GroupVerification g : groups) {
            out.append(String.format("%n%-4s %s  [%s %d member(s); controller %s: %s]  lag %d%n     %s%n",
                    g.verified() ? "OK" : "FAIL", g.group(), g.state(), g.members(), g.controller(), g.controllerStatus(),
                    g.totalLag(), g.reason()));
            out.append(String.format("     %-40s %14s %14s %12s %10s%n", "TOPIC-PARTITION", "COMMIT BEFORE", "COMMIT AFTER", "LOG END", "LAG"));
            for (PartitionPause p : g.partitions()) {
                out.append(String.format("     %-40s %14s %14s %12d %10d%n", p.topic() + "-" + p.partition(), dash(p.committedBefore()),
                        dash(p.committedAfter()), p.logEnd(), p.lag()));
            }
        }
        return out.toString();
    }

    static String lag(List<GroupLagEvaluation> groups) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n%-30s %-7s %-21s %10s %10s %10s %10s%n", "GROUP", "STATUS", "VERDICT", "LAG", "TARGET",
                "DRAIN/S", "ETA S"));
        for (GroupLagEvaluation g : groups) {
            out.append(String.format("%-30s %-7s %-21s %10d %10d %10.1f %10s%n", g.group(), g.status(), g.verdict(), g.totalLag(),
                    g.targetLag(), g.drainRatePerSecond(), g.estimatedSecondsLeft() == null ? "-" : String.format("%.0f", g.estimatedSecondsLeft())));
            out.append("  ").append(g.reason()).append('\n');
        }
        for (GroupLagEvaluation g : groups) {
            out.append(String.format("%n%s%n  %-40s %12s %12s %10s %10s %-7s%n", g.group(), "TOPIC-PARTITION", "COMMITTED", "LOG END",
                    "LAG", "CONSUMED", "STATUS"));
            for (PartitionLag p : g.partitions()) {
                out.append(String.format("  %-40s %12s %12d %10d %10d %-7s%n", p.topic() + "-" + p.partition(), dash(p.committed()),
                        p.logEnd(), p.lag(), p.consumed(), p.status()));
            }
        }
        return out.toString();
    }

    private static String dash(Long value) {
        return value == null ? "-" : value.toString();
    }
}
