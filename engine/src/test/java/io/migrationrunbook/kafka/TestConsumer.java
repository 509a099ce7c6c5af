package io.migrationrunbook.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real consumer loop for tests: polls, commits after each batch, and honours a pause flag with
 * {@link KafkaConsumer#pause} (re-applied on reassignment) the way a service's ops endpoint does.
 * {@code ignorePause} makes it lie: it says paused but keeps consuming.
 */
public final class TestConsumer implements AutoCloseable {

    private final AtomicBoolean pauseRequested = new AtomicBoolean();
    private final AtomicBoolean effectivelyPaused = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong consumed = new AtomicLong();
    private final Thread thread;
    private volatile boolean ignorePause;
    private volatile long delayPerRecordMs;

    public TestConsumer(String bootstrapServers, String group, String topic) {
        this(bootstrapServers, group, topic, "classic");
    }

    public TestConsumer(String bootstrapServers, String group, String topic, String protocol) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50"),
                new StringDeserializer(), new StringDeserializer());
        thread = new Thread(() -> loop(consumer, topic), "test-consumer-" + group);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(KafkaConsumer<String, String> consumer, String topic) {
        try (consumer) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (pauseRequested.get() && !ignorePause) {
                        consumer.pause(partitions);
                    }
                }
            });
            while (running.get()) {
                boolean pause = pauseRequested.get() && !ignorePause;
                if (pause && !effectivelyPaused.get()) {
                    consumer.pause(consumer.assignment());
                    effectivelyPaused.set(true);
                } else if (!pause && effectivelyPaused.get()) {
                    consumer.resume(consumer.paused());
                    effectivelyPaused.set(false);
                }
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(50));
                if (!records.isEmpty()) {
                    if (delayPerRecordMs > 0) {
                        Thread.sleep(delayPerRecordMs * records.count());
                    }
                    consumed.addAndGet(records.count());
                    consumer.commitSync();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void pause() {
        pauseRequested.set(true);
    }

    public void resume() {
        pauseRequested.set(false);
    }

    /** What a lying ops endpoint reports: the requested mode, not what the loop does. */
    public boolean pauseRequested() {
        return pauseRequested.get();
    }

    public boolean effectivelyPaused() {
        return effectivelyPaused.get();
    }

    public TestConsumer ignoringPause() {
        this.ignorePause = true;
        return this;
    }

    public TestConsumer slowedBy(long msPerRecord) {
        this.delayPerRecordMs = msPerRecord;
        return this;
    }

    public long consumed() {
        return consumed.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
