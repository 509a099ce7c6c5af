package io.migrationrunbook.run;

import com.sun.net.httpserver.HttpServer;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.report.StepStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A pause that cannot be proven is undone by the pause itself: the report must not tell a human to resume. */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class PlanRunnerPauseUndoneTest {

    @Test
    void aPauseThatTimedOutAndWasResumedIsReportedAsResumedNotStillPaused(TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String topic = "undone-" + System.nanoTime();
        String group = topic + "-group";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        // a live member keeps consuming (the group is STABLE, not EMPTY), so only the controller could prove a pause
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch committed = new CountDownLatch(1);
        Thread member = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!stop.get()) {
                    if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                        consumer.commitSync();
                        committed.countDown();
                    }
                }
            }
        });
        member.start();
        assertThat(committed.await(30, TimeUnit.SECONDS)).isTrue();
        // a service whose control endpoint accepts the pause but never reports it applied
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer ops = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        ops.createContext("/ops/control", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"mode\":\"normal\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ops.start();
        try {
            String url = "http://localhost:" + ops.getAddress().getPort() + "/ops/control";
            Files.createDirectories(dir.resolve("migrations"));
            Files.writeString(dir.resolve("migrations/V1__create_events_table.sql"), "CREATE TABLE events (id bigint PRIMARY KEY);");
            Files.writeString(dir.resolve("consumers.yaml"), """
                    kafka: {bootstrapServers: "%s", requestTimeout: 5s}
                    verification: {quietWindow: 300ms, pollInterval: 100ms, pauseTimeout: 2s, resumeTimeout: 5s}
                    controllers:
                      - name: ingestion
                        type: http
                        groups: [%s]
                        pause:  {method: PUT, url: "%s", body: {mode: paused}}
                        resume: {method: PUT, url: "%s", body: {mode: normal}}
                        status: {url: "%s", pointer: /mode, paused: paused, running: normal}
                    """.formatted(kafka.bootstrapServers(), group, url, url, url));
            Files.writeString(dir.resolve("plan.yaml"), """
                    name: pause undone
                    database: {url: "%s", user: %s}
                    migrations: {locations: [filesystem:migrations]}
                    backup: {enabled: false}
                    consumers: {config: consumers.yaml, pause: always}
                    """.formatted(db.jdbcUrl(), db.user()));

            RunReport report = PlanRunner.builder(PlanLoader.load(dir.resolve("plan.yaml")), dir, dir.resolve("out")).build().run();

            assertThat(report.getStatus()).isEqualTo(RunReport.FAILED);
            assertThat(report.step("pauseConsumers").status()).isEqualTo(StepStatus.FAILED);
            assertThat(report.step("flywayMigrate").status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(requests).anyMatch(r -> r.startsWith("PUT") && r.contains("normal"));
            assertThat(report.getPause().stillPaused()).isFalse();
            assertThat(String.join("\n", report.getNextActions())).doesNotContain("STILL PAUSED")
                    .contains("resumed the consumers").contains("The database was not changed");
            assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'events'")).isZero();
        } finally {
            ops.stop(0);
            stop.set(true);
            member.join();
        }
    }
}
