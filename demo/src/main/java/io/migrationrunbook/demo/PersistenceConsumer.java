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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
                    // stop() was called: the loop condition ends it
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

    private void process(ConsumerRecords<String, String> records) {
        int processed = 0;
        int duplicates = 0;
        int invalid = 0;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            Connection c = connection();
            try (PreparedStatement markProcessed = c.prepareStatement(
                         "INSERT INTO processed_events (event_id, correlation_id, kafka_topic, kafka_partition, kafka_offset) "
                                 + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING");
                 PreparedStatement insertTransaction = c.prepareStatement(
                         "INSERT INTO transactions (transaction_id, event_id, portfolio_id, security_id, quantity, price, correlation_id, ingested_at) "
                                 + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transaction_id) DO NOTHING");
                 PreparedStatement upsertPosition = c.prepareStatement(
                         "INSERT INTO positions AS p (portfolio_id, security_id, quantity, cost, transaction_count, updated_at) "
                                 + "VALUES (?, ?, ?, ?, 1, now()) ON CONFLICT (portfolio_id, security_id) DO UPDATE SET "
                                 + "quantity = p.quantity + EXCLUDED.quantity, cost = p.cost + EXCLUDED.cost, "
                                 + "transaction_count = p.transaction_count + 1, updated_at = now()")) {
                for (ConsumerRecord<String, String> record : records) {
                    offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    TransactionEvent event = parse(record);
                    if (event == null) {
                        invalid++;
                        continue;
                    }
                    markProcessed.setString(1, event.eventId());
                    markProcessed.setString(2, correlationId(record, event));
                    markProcessed.setString(3, record.topic());
                    markProcessed.setInt(4, record.partition());
                    markProcessed.setLong(5, record.offset());
                    if (markProcessed.executeUpdate() == 0) {
                        duplicates++; // a redelivery or a replay: already applied
                        continue;
                    }
                    insertTransaction.setString(1, event.transactionId());
                    insertTransaction.setString(2, event.eventId());
                    insertTransaction.setString(3, event.portfolioId());
                    insertTransaction.setString(4, event.securityId());
                    insertTransaction.setBigDecimal(5, event.quantity());
                    insertTransaction.setBigDecimal(6, event.price());
                    insertTransaction.setString(7, correlationId(record, event));
                    insertTransaction.setTimestamp(8, event.ingestedAt() == null ? null : Timestamp.from(event.ingestedAt()));
                    if (insertTransaction.executeUpdate() == 0) {
                        duplicates++; // the same business transaction under another event id: still applied once
                        continue;
                    }
                    upsertPosition.setString(1, event.portfolioId());
                    upsertPosition.setString(2, event.securityId());
                    upsertPosition.setBigDecimal(3, event.quantity());
                    upsertPosition.setBigDecimal(4, event.quantity().multiply(event.price()));
                    upsertPosition.executeUpdate();
                    processed++;
                }
            }
            c.commit();
        } catch (SQLException e) {
            rollbackAndRewind(records, e);
            return;
        }
        stats.batchCommitted(records.count(), processed, duplicates, invalid);
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the database already holds the effect: a redelivery of this batch is skipped as duplicates
            LOG.warn("{}: offset commit failed after the database commit (the batch will be redelivered and skipped): {}", name, e.toString());
            stats.offsetCommitFailure(name + ": offset commit failed: " + e);
        }
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
