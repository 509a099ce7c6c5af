package io.migrationrunbook.consumers;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.PartitionOffsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small pure helpers shared by pause and resume verification. */
final class Observation {

    private Observation() {
    }

    /** Each controller's status, asked once per poll. */
    static Map<String, ControllerStatus> statuses(List<ConsumerController> controllers) {
        Map<String, ControllerStatus> statuses = new LinkedHashMap<>();
        for (ConsumerController c : controllers) {
            statuses.put(c.name(), c.status());
        }
        return statuses;
    }

    static ConsumerController controllerOf(List<ConsumerController> controllers, String group) {
        for (ConsumerController c : controllers) {
            if (c.groups().contains(group)) {
                return c;
            }
        }
        throw new IllegalStateException("no controller for " + group);
    }

    /** Partitions whose committed offset differs between two snapshots, as "topic-p 120→180 (log end 200)". */
    static List<String> movements(GroupSnapshot from, GroupSnapshot to) {
        Map<String, PartitionOffsets> before = from.byKey();
        List<String> moved = new ArrayList<>();
        for (PartitionOffsets p : to.partitions()) {
            PartitionOffsets b = before.get(p.key());
            Long was = b == null ? null : b.committed();
            if (!java.util.Objects.equals(was, p.committed())) {
                moved.add(p.key() + " " + (was == null ? "-" : was) + "→" + (p.committed() == null ? "-" : p.committed())
                        + " (log end " + p.logEnd() + ")");
            }
        }
        return moved;
    }

    static List<PartitionPause> partitions(GroupSnapshot before, GroupSnapshot after) {
        Map<String, PartitionOffsets> b = before == null ? Map.of() : before.byKey();
        List<PartitionPause> list = new ArrayList<>();
        for (PartitionOffsets p : after.partitions()) {
            PartitionOffsets was = b.get(p.key());
            list.add(new PartitionPause(p.topic(), p.partition(), was == null ? null : was.committed(), p.committed(), p.logEnd(), p.lag()));
        }
        return list;
    }

    static String firstFew(List<String> items) {
        if (items.size() <= 5) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RunbookException.environment("Interrupted while verifying the consumers.", e);
        }
    }
}
