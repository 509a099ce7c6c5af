package io.migrationrunbook.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

/**
 * Reads consumer groups from the outside with the AdminClient: membership and assignment, committed offsets and
 * log-end offsets, in four batched round trips however many groups and partitions. A partition counts when the
 * group committed on it or a member owns it; the other partitions of those topics are included with no commit.
 */
public final class OffsetsReader {

    private final KafkaCluster cluster;
    private final Admin admin;
    private final Clock clock;

    public OffsetsReader(KafkaCluster cluster, Admin admin) {
        this(cluster, admin, Clock.systemUTC());
    }

    public OffsetsReader(KafkaCluster cluster, Admin admin, Clock clock) {
        this.cluster = cluster;
        this.admin = admin;
        this.clock = clock;
    }

    /** One snapshot per group, in the order asked; an unknown group is a configuration error naming it. */
    public Map<String, GroupSnapshot> read(Collection<String> groups) {
        try {
            return readOrThrow(groups);
        } catch (Exception e) {
            throw cluster.translate(e, "reading consumer groups " + groups);
        }
    }

    public GroupSnapshot read(String group) {
        return read(List.of(group)).get(group);
    }

    private Map<String, GroupSnapshot> readOrThrow(Collection<String> groups) throws ExecutionException, InterruptedException {
        Map<String, ConsumerGroupDescription> descriptions = admin.describeConsumerGroups(groups).all().get();

        Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
        for (String group : groups) {
            specs.put(group, new ListConsumerGroupOffsetsSpec());
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(specs).all().get();

        Map<String, Set<TopicPartition>> assigned = new HashMap<>();
        Set<String> topics = new TreeSet<>();
        for (String group : groups) {
            Set<TopicPartition> owned = new HashSet<>();
            for (MemberDescription member : descriptions.get(group).members()) {
                owned.addAll(member.assignment().topicPartitions());
            }
            assigned.put(group, owned);
            owned.forEach(tp -> topics.add(tp.topic()));
            committed.getOrDefault(group, Map.of()).keySet().forEach(tp -> topics.add(tp.topic()));
        }

        Map<String, List<TopicPartition>> partitionsByTopic = describePartitions(topics);
        Map<TopicPartition, Long> logEnds = logEnds(partitionsByTopic);

        Instant at = clock.instant();
        Map<String, GroupSnapshot> snapshots = new LinkedHashMap<>();
        for (String group : groups) {
            ConsumerGroupDescription description = descriptions.get(group);
            Map<TopicPartition, OffsetAndMetadata> offsets = committed.getOrDefault(group, Map.of());
            Set<TopicPartition> owned = assigned.get(group);
            Set<String> groupTopics = new TreeSet<>();
            owned.forEach(tp -> groupTopics.add(tp.topic()));
            offsets.keySet().forEach(tp -> groupTopics.add(tp.topic()));
            List<PartitionOffsets> partitions = new ArrayList<>();
            for (String topic : groupTopics) {
                for (TopicPartition tp : partitionsByTopic.getOrDefault(topic, List.of())) {
                    OffsetAndMetadata commit = offsets.get(tp);
                    partitions.add(PartitionOffsets.of(tp.topic(), tp.partition(), commit == null ? null : commit.offset(),
                            logEnds.getOrDefault(tp, 0L), owned.contains(tp)));
                }
            }
            snapshots.put(group, new GroupSnapshot(group, description.groupState().name(), description.type().name(),
                    description.members().size(), at, partitions));
        }
        return snapshots;
    }

    private Map<String, List<TopicPartition>> describePartitions(Set<String> topics)
            throws ExecutionException, InterruptedException {
        Map<String, List<TopicPartition>> result = new LinkedHashMap<>();
        if (topics.isEmpty()) {
            return result;
        }
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : futures.entrySet()) {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (TopicPartitionInfo info : entry.getValue().get().partitions()) {
                    partitions.add(new TopicPartition(entry.getKey(), info.partition()));
                }
                partitions.sort(Comparator.comparingInt(TopicPartition::partition));
                result.put(entry.getKey(), partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                // a topic deleted after the group committed on it: nothing left to consume
            }
        }
        return result;
    }

    private Map<TopicPartition, Long> logEnds(Map<String, List<TopicPartition>> partitionsByTopic)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitionsByTopic.values().forEach(list -> list.forEach(tp -> request.put(tp, OffsetSpec.latest())));
        Map<TopicPartition, Long> result = new HashMap<>();
        if (request.isEmpty()) {
            return result;
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos =
                admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        infos.forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }
}
