package io.migrationrunbook.kafka;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consumer group seen from the Kafka side at one moment: state (STABLE, EMPTY, ...), protocol type (CLASSIC or
 * CONSUMER), member count and, per partition, committed offset, log end and lag.
 */
@JsonIgnoreProperties(value = "totalLag", allowGetters = true)
public record GroupSnapshot(String group, String state, String type, int members, Instant at, List<PartitionOffsets> partitions) {

    @JsonProperty("totalLag")
    public long totalLag() {
        long total = 0;
        for (PartitionOffsets p : partitions) {
            total += p.lag();
        }
        return total;
    }

    @JsonIgnore
    public boolean isEmpty() {
        return "EMPTY".equals(state) || members == 0;
    }

    @JsonIgnore
    public boolean isStableWithMembers() {
        return "STABLE".equals(state) && members > 0;
    }

    /** Partitions by {@code topic-partition}, in snapshot order. */
    @JsonIgnore
    public Map<String, PartitionOffsets> byKey() {
        Map<String, PartitionOffsets> map = new LinkedHashMap<>();
        for (PartitionOffsets p : partitions) {
            map.put(p.key(), p);
        }
        return map;
    }
}
