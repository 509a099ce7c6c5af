package io.migrationrunbook.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * One member of the {@code persistence-service} consumer group, on its own thread (a KafkaConsumer is not thread-safe:
 * every call to it happens here, pause and resume included). Each polled batch is applied in one database transaction
 * — {@code processed_events} insert with ON CONFLICT DO NOTHING, then the transaction row and the position update —
 * and the Kafka offsets are committed only after that transaction committed: at-least-once delivery plus an
 * idempotent apply gives an exactly-once effect.
 */
final class PersistenceConsumer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PersistenceConsumer.class);

    /** What this consumer thread has actually applied, published after every step of its loop. */
    record State(boolean alive, boolean paused, Set<String> assigned, Set<String> pausedPartitions) {
        static final State STARTING = new State(true, false, Set.of(), Set.of());
    }

    private final DemoConfig config;
    private final DemoDatabase database;
    private final ConsumerControl control;
    private final ServiceStats stats;
    private final ObjectMapper json;
    private final KafkaConsumer<String, String> consumer;
    private final String name;
    private volatile boolean running = true;
    private volatile State state = State.STARTING;
    private Connection connection;

    PersistenceConsumer(DemoConfig config, DemoDatabase database, ConsumerControl control, ServiceStats stats, ObjectMapper json, int index) {
        this.config = config;
        this.database = database;
        this.control = control;
        this.stats = stats;
        this.json = json;
        this.name = config.groupId() + "-" + index;
        this.consumer = new KafkaConsumer<>(consumerProperties(config, name));
    }

    static Properties consumerProperties(DemoConfig config, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, config.groupProtocol().configValue());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        if (config.groupProtocol() == DemoConfig.GroupProtocol.CLASSIC) {
            // the consumer protocol takes these from the broker and refuses them client-side
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        }
        return p;
    }

    String name() {
        return name;
    }

    State state() {
        return state;
    }

    /** Interrupts a waiting poll so a new mode is applied at once rather than after the poll timeout. */
    void wakeUp() {
        consumer.wakeup();
    }

    /** Asks the loop to end; the thread closes the consumer (leaving the group) on its way out. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // offsets are committed synchronously after every batch: nothing is pending here
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // pause state belongs to an assignment: partitions handed to us while paused must be paused again
                    // before the poll that assigned them can fetch from them
                    if (control.pausedRequested() && !partitions.isEmpty()) {
                        consumer.pause(partitions);
                    }
                }
            });
            while (running) {
                try {
                    applyRequestedMode();
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    publishState();
                    if (!records.isEmpty()) {
                        process(records);
                    }
                } catch (WakeupException e) {
                    // stop() (the loop condition ends it) or a mode change (applied at the top of the loop)
                } catch (KafkaException | IllegalStateException e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("{}: Kafka error, retrying: {}", name, e.toString());
                    stats.error(name + ": " + e);
                    sleep(config.retryBackoff());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("{}: consumer thread failed", name, e);
            stats.error(name + ": consumer thread failed: " + e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the consumer failed: {}", name, e.toString());
            }
            closeConnection();
            state = new State(false, false, Set.of(), Set.of());
        }
    }

    private void applyRequestedMode() {
        Set<TopicPartition> assignment = consumer.assignment();
        Set<TopicPartition> paused = consumer.paused();
        if (control.pausedRequested()) {
            Set<TopicPartition> toPause = new HashSet<>(assignment);
            toPause.removeAll(paused);
            if (!toPause.isEmpty()) {
                consumer.pause(toPause);
            }
        } else if (!paused.isEmpty()) {
            consumer.resume(paused);
        }
        publishState();
    }

    private void publishState() {
        Set<TopicPartition> assignment = consumer.assignment();
        Set<TopicPartition> paused = consumer.paused();
        boolean allPaused = control.pausedRequested() && paused.containsAll(assignment);
        state = new State(true, allPaused, names(assignment), names(paused));
    }

    private static Set<String> names(Set<TopicPartition> partitions) {
        Set<String> out = new TreeSet<>();
        partitions.forEach(tp -> out.add(tp.topic() + "-" + tp.partition()));
        return Set.copyOf(out);
    }

    /** A record of the batch that parsed, with where it came from. */
    private record Delivery(TransactionEvent event, String correlationId, String topic, int partition, long offset) {
    }

    private static final String MARK_PROCESSED =
            "INSERT INTO processed_events (event_id, correlation_id, kafka_topic, kafka_partition, kafka_offset) "
                    + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[]) "
                    + "ON CONFLICT (event_id) DO NOTHING RETURNING event_id";
    private static final String INSERT_TRANSACTIONS =
            "INSERT INTO transactions (transaction_id, event_id, portfolio_id, security_id, quantity, price, correlation_id, ingested_at) "
                    + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::text[], ?::timestamptz[]) "
                    + "ON CONFLICT (transaction_id) DO NOTHING RETURNING transaction_id";
    private static final String UPSERT_POSITIONS =
            "INSERT INTO positions AS p (portfolio_id, security_id, quantity, cost, transaction_count, updated_at) "
                    + "SELECT u.*, now() FROM unnest(?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::bigint[]) AS u "
                    + "ON CONFLICT (portfolio_id, security_id) DO UPDATE SET quantity = p.quantity + EXCLUDED.quantity, "
                    + "cost = p.cost + EXCLUDED.cost, transaction_count = p.transaction_count + EXCLUDED.transaction_count, updated_at = now()";

    /**
     * Applies one polled batch in one database transaction with three set-based statements (a round trip each, whatever
     * the batch size): mark the events processed (the ones already there are duplicates), insert their transactions,
     * add them to the positions. Then, and only then, commits the offsets.
     */
    private void process(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<Delivery> deliveries = new ArrayList<>();
        int invalid = 0;
        for (ConsumerRecord<String, String> record : records) {
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            TransactionEvent event = parse(record);
            if (event == null) {
                invalid++;
            } else {
                deliveries.add(new Delivery(event, correlationId(record, event), record.topic(), record.partition(), record.offset()));
            }
        }
        int processed = 0;
        int duplicates = 0;
        if (!deliveries.isEmpty()) {
            try {
                Connection c = connection();
                Set<String> newEvents = returning(c, MARK_PROCESSED,
                        deliveries.stream().map(d -> d.event().eventId()).toArray(String[]::new),
                        deliveries.stream().map(Delivery::correlationId).toArray(String[]::new),
                        deliveries.stream().map(Delivery::topic).toArray(String[]::new),
                        deliveries.stream().map(Delivery::partition).toArray(Integer[]::new),
                        deliveries.stream().map(Delivery::offset).toArray(Long[]::new));
                // the first delivery of a new event id claims it; any later one (in this batch or before) is a duplicate
                List<Delivery> fresh = new ArrayList<>();
                for (Delivery d : deliveries) {
                    if (newEvents.remove(d.event().eventId())) {
                        fresh.add(d);
                    } else {
                        duplicates++;
                    }
                }
                List<Delivery> applied = new ArrayList<>();
                if (!fresh.isEmpty()) {
                    Set<String> newTransactions = returning(c, INSERT_TRANSACTIONS,
                            fresh.stream().map(d -> d.event().transactionId()).toArray(String[]::new),
                            fresh.stream().map(d -> d.event().eventId()).toArray(String[]::new),
                            fresh.stream().map(d -> d.event().portfolioId()).toArray(String[]::new),
                            fresh.stream().map(d -> d.event().securityId()).toArray(String[]::new),
                            fresh.stream().map(d -> d.event().quantity()).toArray(BigDecimal[]::new),
                            fresh.stream().map(d -> d.event().price()).toArray(BigDecimal[]::new),
                            fresh.stream().map(Delivery::correlationId).toArray(String[]::new),
                            fresh.stream().map(d -> d.event().ingestedAt() == null ? null : Timestamp.from(d.event().ingestedAt()))
                                    .toArray(Timestamp[]::new));
                    for (Delivery d : fresh) {
                        if (newTransactions.remove(d.event().transactionId())) {
                            applied.add(d);
                        } else {
                            duplicates++; // the same business transaction under another event id: still applied once
                        }
                    }
                }
                if (!applied.isEmpty()) {
                    upsertPositions(c, applied);
                }
                c.commit();
                processed = applied.size();
            } catch (SQLException e) {
                rollbackAndRewind(records, e);
                return;
            }
        }
        stats.batchCommitted(records.count(), processed, duplicates, invalid);
        commitOffsets(offsets);
    }

    private void commitOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (int attempt = 1; ; attempt++) {
            try {
                consumer.commitSync(offsets);
                return;
            } catch (WakeupException e) {
                // a mode change woke the consumer up while it was applying the batch: the commit still has to happen
                if (!running || attempt > 1) {
                    throw e;
                }
            } catch (KafkaException e) {
                // the database already holds the effect: a redelivery of this batch is skipped as duplicates
                LOG.warn("{}: offset commit failed after the database commit (the batch will be redelivered and skipped): {}", name, e.toString());
                stats.offsetCommitFailure(name + ": offset commit failed: " + e);
                return;
            }
        }
    }

    private static Set<String> returning(Connection c, String sql, Object[]... columns) throws SQLException {
        String[] types = sqlArrayTypes(sql);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.length; i++) {
                s.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            Set<String> out = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private void upsertPositions(Connection c, List<Delivery> applied) throws SQLException {
        // one row per position (a multi-row upsert may touch a row once), in key order so lock order is stable
        Map<List<String>, BigDecimal[]> sums = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        for (Delivery d : applied) {
            BigDecimal[] sum = sums.computeIfAbsent(List.of(d.event().portfolioId(), d.event().securityId()),
                    k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            sum[0] = sum[0].add(d.event().quantity());
            sum[1] = sum[1].add(d.event().quantity().multiply(d.event().price()));
            sum[2] = sum[2].add(BigDecimal.ONE);
        }
        try (PreparedStatement s = c.prepareStatement(UPSERT_POSITIONS)) {
            s.setArray(1, c.createArrayOf("text", sums.keySet().stream().map(k -> k.get(0)).toArray()));
            s.setArray(2, c.createArrayOf("text", sums.keySet().stream().map(k -> k.get(1)).toArray()));
            s.setArray(3, c.createArrayOf("numeric", sums.values().stream().map(v -> v[0]).toArray()));
            s.setArray(4, c.createArrayOf("numeric", sums.values().stream().map(v -> v[1]).toArray()));
            s.setArray(5, c.createArrayOf("int8", sums.values().stream().map(v -> v[2].longValueExact()).toArray()));
            s.executeUpdate();
        }
    }

    /** The element types of the {@code ?::type[]} parameters of a statement, in order. */
    private static String[] sqlArrayTypes(String sql) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\?::(\\w+)\\[]").matcher(sql);
        List<String> types = new ArrayList<>();
        while (m.find()) {
            types.add(switch (m.group(1)) {
                case "int" -> "int4";
                case "bigint" -> "int8";
                default -> m.group(1);
            });
        }
        return types.toArray(String[]::new);
    }

    private void rollbackAndRewind(ConsumerRecords<String, String> records, SQLException e) {
        LOG.warn("{}: database transaction failed, the batch will be fetched again: {}", name, e.getMessage());
        stats.databaseFailure(name + ": " + e.getMessage());
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException rollbackFailed) {
            closeConnection();
        }
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> batch = records.records(partition);
            consumer.seek(partition, batch.get(0).offset());
        }
        sleep(config.retryBackoff());
    }

    private TransactionEvent parse(ConsumerRecord<String, String> record) {
        try {
            TransactionEvent event = json.readValue(record.value(), TransactionEvent.class);
            if (event.eventId() == null || event.transactionId() == null || event.portfolioId() == null || event.securityId() == null
                    || event.quantity() == null || event.price() == null) {
                throw new IllegalArgumentException("missing fields");
            }
            return event;
        } catch (Exception e) {
            stats.error(name + ": skipped an unreadable record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + ": " + e.getMessage());
            return null;
        }
    }

    private static String correlationId(ConsumerRecord<String, String> record, TransactionEvent event) {
        Header header = record.headers().lastHeader(TransactionEvent.CORRELATION_HEADER);
        if (header != null && header.value() != null) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        return event.correlationId();
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed() || !connection.isValid(2)) {
            closeConnection();
            connection = database.connect();
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                // a migration holding a lock makes this batch fail and retry instead of queueing forever
                s.execute("SET lock_timeout = '10s'");
            }
            connection.commit();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> sorted(Collection<String> values) {
        return new ArrayList<>(new TreeSet<>(values));
    }
}
