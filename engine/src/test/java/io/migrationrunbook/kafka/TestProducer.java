package io.migrationrunbook.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Produces test events: a batch now, or a steady background stream until closed. */
public final class TestProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicBoolean streaming = new AtomicBoolean();
    private final AtomicLong produced = new AtomicLong();
    private Thread streamThread;

    public TestProducer(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, "0"), new StringSerializer(), new StringSerializer());
    }

    public static void createTopic(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create topic " + topic, e);
        }
    }

    public void send(int count) {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, Long.toString(produced.incrementAndGet()), "event"));
        }
        producer.flush();
    }

    /** Keeps producing about {@code perSecond} events a second in the background. */
    public TestProducer stream(int perSecond) {
        streaming.set(true);
        streamThread = new Thread(() -> {
            while (streaming.get()) {
                send(Math.max(1, perSecond / 20));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-producer-" + topic);
        streamThread.setDaemon(true);
        streamThread.start();
        return this;
    }

    public long produced() {
        return produced.get();
    }

    @Override
    public void close() {
        streaming.set(false);
        if (streamThread != null) {
            try {
                streamThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close();
    }
}
