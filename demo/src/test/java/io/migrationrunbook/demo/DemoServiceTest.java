package io.migrationrunbook.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class DemoServiceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static DemoService startService(TestDatabase db, KafkaBroker kafka, DemoConfig.GroupProtocol protocol) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return DemoService.start(new DemoConfig()
                .database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers())
                .topic("transactions-" + suffix)
                .groupId("persistence-service-" + suffix)
                .groupProtocol(protocol)
                .retryBackoff(Duration.ofMillis(100)));
    }

    record Reply(int status, JsonNode body, String correlationId) {
    }

    static Reply call(String method, String url, String body, String correlationId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (correlationId != null) {
            request.header("X-Correlation-ID", correlationId);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), DemoService.JSON.readTree(response.body()),
                response.headers().firstValue("X-Correlation-ID").orElse(null));
    }

    static String transaction(String transactionId, String portfolio, String security, int quantity, String price) {
        return "{\"transactionId\":\"" + transactionId + "\",\"portfolioId\":\"" + portfolio + "\",\"securityId\":\"" + security
                + "\",\"quantity\":" + quantity + ",\"price\":" + price + "}";
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    static JsonNode positions(DemoService service, String portfolio) {
        try {
            return call("GET", service.baseUrl() + "/portfolios/" + portfolio + "/positions", null, null).body().get("positions");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ingestedTransactionBecomesAPositionAndTheCorrelationIdTravelsWithIt(TestDatabase db, KafkaBroker kafka) throws Exception {
        try (DemoService service = startService(db, kafka, DemoConfig.GroupProtocol.CLASSIC)) {
            Reply posted = call("POST", service.baseUrl() + "/transactions", transaction("T-1", "P-1", "AAPL", 10, "12.5"), "TEST:abc-1");
            assertThat(posted.status()).isEqualTo(202);
            assertThat(posted.correlationId()).isEqualTo("TEST:abc-1");
            assertThat(posted.body().get("eventId").asText()).isEqualTo("T-1");

            await("position of P-1", Duration.ofSeconds(15), () -> positions(service, "P-1").size() == 1);
            Reply query = call("GET", service.baseUrl() + "/portfolios/P-1/positions", null, "TEST:query-2");
            assertThat(query.status()).isEqualTo(200);
            assertThat(query.correlationId()).isEqualTo("TEST:query-2");
            JsonNode position = query.body().at("/positions/0");
            assertThat(position.get("securityId").asText()).isEqualTo("AAPL");
            assertThat(position.get("quantity").decimalValue()).isEqualByComparingTo("10");
            assertThat(position.get("cost").decimalValue()).isEqualByComparingTo("125");

            // the id of the ingesting request is stored with the processed event
            try (Connection c = db.connect(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT correlation_id FROM processed_events WHERE event_id = 'T-1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("TEST:abc-1");
            }
            Reply persisted = call("GET", service.baseUrl() + "/transactions/T-1", null, null);
            assertThat(persisted.status()).isEqualTo(200);
            assertThat(persisted.body().get("eventCorrelationId").asText()).isEqualTo("TEST:abc-1");
            assertThat(persisted.correlationId()).startsWith("ING:");

            // without a correlation id the service makes one: ING:<uuid>
            Reply generated = call("GET", service.baseUrl() + "/health", null, null);
            assertThat(generated.status()).isEqualTo(200);
            assertThat(generated.correlationId()).matches("ING:[0-9a-f-]{36}");
            assertThat(generated.body().get("status").asText()).isEqualTo("UP");

            Reply bad = call("POST", service.baseUrl() + "/transactions", "{\"portfolioId\":\"P-1\"}", "TEST:bad");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.correlationId()).isEqualTo("TEST:bad");
            assertThat(bad.body().get("error").asText()).contains("securityId");
        }
    }

    @Test
    void theSameEventSentTwiceIsAppliedOnce(TestDatabase db, KafkaBroker kafka) throws Exception {
        try (DemoService service = startService(db, kafka, DemoConfig.GroupProtocol.CLASSIC)) {
            String body = transaction("T-dup", "P-dup", "MSFT", 3, "100");
            assertThat(call("POST", service.baseUrl() + "/transactions", body, "TEST:first").status()).isEqualTo(202);
            assertThat(call("POST", service.baseUrl() + "/transactions", body, "TEST:second").status()).isEqualTo(202);
            await("both deliveries consumed", Duration.ofSeconds(15), () -> service.stats().recordsConsumed() == 2);

            assertThat(service.stats().eventsProcessed()).isEqualTo(1);
            assertThat(service.stats().duplicatesSkipped()).isEqualTo(1);
            JsonNode position = positions(service, "P-dup").get(0);
            assertThat(position.get("quantity").decimalValue()).isEqualByComparingTo("3");
            assertThat(position.get("transactionCount").asLong()).isEqualTo(1);
            assertThat(db.queryLong("SELECT count(*) FROM transactions WHERE transaction_id = 'T-dup'")).isEqualTo(1);
            assertThat(db.queryLong("SELECT count(*) FROM processed_events WHERE correlation_id = 'TEST:first'")).isEqualTo(1);
        }
    }

    @Test
    void pauseFreezesCommittedOffsetsWhileEventsKeepArrivingAndResumeProcessesThemAll(TestDatabase db, KafkaBroker kafka) throws Exception {
        try (DemoService service = startService(db, kafka, DemoConfig.GroupProtocol.CLASSIC);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String group = service.config().groupId();
            String topic = service.config().topic();
            for (int i = 0; i < 6; i++) {
                call("POST", service.baseUrl() + "/transactions", transaction("T-before-" + i, "P-" + i % 3, "SEC", 1, "1"), null);
            }
            await("first events processed", Duration.ofSeconds(15), () -> service.stats().eventsProcessed() == 6);
            await("three partitions assigned", Duration.ofSeconds(15), () -> service.control().assignedPartitions().size() == 3);

            Reply paused = call("PUT", service.baseUrl() + "/ops/control", "{\"mode\":\"paused\"}", "TEST:pause");
            assertThat(paused.status()).isEqualTo(200);
            assertThat(paused.body().get("requested").asText()).isEqualTo("paused");
            assertThat(paused.body().get("effective").asText()).isEqualTo("paused");
            assertThat(paused.body().get("pausedPartitions")).hasSize(3);
            assertThat(call("GET", service.baseUrl() + "/ops/control", null, null).body().get("effective").asText()).isEqualTo("paused");

            Map<TopicPartition, Long> committedAtPause = committed(admin, group);
            Map<TopicPartition, Long> endAtPause = logEnd(admin, topic);
            for (int i = 0; i < 9; i++) {
                assertThat(call("POST", service.baseUrl() + "/transactions", transaction("T-paused-" + i, "P-" + i % 3, "SEC", 1, "1"), null)
                        .status()).isEqualTo(202);
            }
            Thread.sleep(1500); // the consumer polls every 100 ms: a running one would have committed by now
            assertThat(committed(admin, group)).isEqualTo(committedAtPause);
            assertThat(logEnd(admin, topic).values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(endAtPause.values().stream().mapToLong(Long::longValue).sum() + 9);
            assertThat(service.stats().eventsProcessed()).isEqualTo(6);
            assertThat(service.stats().eventsIngested()).isEqualTo(15);

            Reply resumed = call("PUT", service.baseUrl() + "/ops/control", "{\"mode\":\"normal\"}", null);
            assertThat(resumed.status()).isEqualTo(200);
            assertThat(resumed.body().get("effective").asText()).isEqualTo("normal");
            assertThat(resumed.body().get("pausedPartitions")).isEmpty();
            await("all events processed after resume", Duration.ofSeconds(15), () -> service.stats().eventsProcessed() == 15);
            await("offsets committed to the log end", Duration.ofSeconds(15), () -> {
                try {
                    Map<TopicPartition, Long> committed = committed(admin, group);
                    // a partition no event was keyed to has nothing to commit
                    return logEnd(admin, topic).entrySet().stream()
                            .allMatch(end -> committed.getOrDefault(end.getKey(), 0L).equals(end.getValue()));
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(call("PUT", service.baseUrl() + "/ops/control", "{\"mode\":\"sideways\"}", null).status()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @EnumSource(DemoConfig.GroupProtocol.class)
    void nothingLostNothingDoubledWhenConsumersArePausedForASchemaChangeUnderSteadyLoad(DemoConfig.GroupProtocol protocol,
                                                                                          TestDatabase db, KafkaBroker kafka) throws Exception {
        try (DemoService service = startService(db, kafka, protocol);
             SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 100)) {
            load.start();
            await("load being processed", Duration.ofSeconds(15), () -> service.stats().eventsProcessed() >= 20);

            ControlStatus paused = service.pause();
            assertThat(paused.effective()).isEqualTo("paused");
            long processedAtPause = service.stats().eventsProcessed();
            Thread.sleep(700); // events keep arriving while paused
            db.execute("ALTER TABLE processed_events ADD COLUMN migrated_note text",
                    "ALTER TABLE positions ADD COLUMN currency char(3)",
                    "CREATE INDEX positions_updated_at_idx ON positions (updated_at)");
            assertThat(service.stats().eventsProcessed()).isEqualTo(processedAtPause);
            assertThat(service.control().effective()).isEqualTo("paused");

            assertThat(service.resume().effective()).isEqualTo("normal");
            Thread.sleep(500);
            SteadyLoad.Produced produced = load.stop();
            assertThat(produced.failedSends()).as("failed sends: %s", produced.lastFailure()).isZero();
            assertThat(produced.count()).isGreaterThan(processedAtPause);

            try (Connection c = db.connect()) {
                DeliveryVerifier.DeliveryReport report = DeliveryVerifier.awaitAllProcessed(c, produced, Duration.ofSeconds(20))
                        .withDuplicateDeliveriesSkipped(service.stats().duplicatesSkipped());
                assertThat(report.lost()).as(report.toString()).isZero();
                assertThat(report.duplicates()).as(report.toString()).isZero();
                assertThat(report.processed()).isEqualTo(report.produced());
                assertThat(report.exactlyOnce()).isTrue();
            }
            assertThat(service.stats().lastError()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(DemoConfig.GroupProtocol.class)
    void pauseIsReappliedWhenPartitionsAreReassigned(DemoConfig.GroupProtocol protocol, TestDatabase db, KafkaBroker kafka) throws Exception {
        try (DemoService service = startService(db, kafka, protocol);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await("three partitions assigned", Duration.ofSeconds(15), () -> service.control().assignedPartitions().size() == 3);
            assertThat(service.pause().effective()).isEqualTo("paused");
            // events wait on every partition, so a partition handed back unpaused would be consumed at once
            for (int i = 0; i < 6; i++) {
                call("POST", service.baseUrl() + "/transactions", transaction("T-re-" + i, "P-" + i, "SEC", 1, "1"), null);
            }

            // another member joins the group and leaves again: the partitions are taken away and handed back
            java.util.Properties props = PersistenceConsumer.consumerProperties(service.config(), "intruder");
            try (var intruder = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props)) {
                intruder.subscribe(java.util.List.of(service.config().topic()));
                await("the intruder got partitions", Duration.ofSeconds(20), () -> {
                    intruder.poll(Duration.ofMillis(100));
                    return !intruder.assignment().isEmpty() && service.control().assignedPartitions().size() < 3;
                });
            }
            await("all partitions back", Duration.ofSeconds(20), () -> service.control().assignedPartitions().size() == 3);
            ControlStatus status = service.control();
            assertThat(status.effective()).isEqualTo("paused");
            assertThat(status.pausedPartitions()).hasSize(3);

            Thread.sleep(1000);
            assertThat(service.stats().recordsConsumed()).isZero();
            assertThat(committed(admin, service.config().groupId())).isEmpty();

            assertThat(service.resume().effective()).isEqualTo("normal");
            await("processed after resume", Duration.ofSeconds(15), () -> service.stats().eventsProcessed() == 6);
        }
    }

    @Test
    void aFailingDatabaseTransactionIsRetriedAndLosesNothing(TestDatabase db, KafkaBroker kafka) throws Exception {
        try (DemoService service = startService(db, kafka, DemoConfig.GroupProtocol.CLASSIC)) {
            await("three partitions assigned", Duration.ofSeconds(15), () -> service.control().assignedPartitions().size() == 3);
            // a release that breaks the service's writes (here: a renamed column) while the consumers run
            db.execute("ALTER TABLE positions RENAME COLUMN cost TO cost_renamed");
            SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 1).sendNow(12);
            await("the write failures are visible", Duration.ofSeconds(15), () -> service.stats().databaseFailures() >= 2);
            assertThat(service.stats().eventsProcessed()).isZero();
            assertThat(service.stats().lastError()).contains("cost");
            assertThat(db.queryLong("SELECT count(*) FROM processed_events")).isZero(); // rolled back with the batch

            db.execute("ALTER TABLE positions RENAME COLUMN cost_renamed TO cost");
            SteadyLoad.Produced produced = load.stop();
            try (Connection c = db.connect()) {
                DeliveryVerifier.DeliveryReport report = DeliveryVerifier.awaitAllProcessed(c, produced, Duration.ofSeconds(20));
                assertThat(report.exactlyOnce()).as(report.toString()).isTrue();
                assertThat(report.produced()).isEqualTo(12);
            }
        }
    }

    @Test
    void standaloneArgumentsBecomeAConfigWithoutAPasswordFlag() {
        DemoConfig config = DemoService.parseArgs(new String[] {"--db-url", "jdbc:postgresql://db:5432/app", "--db-user", "app",
                "--kafka", "k:9092", "--port", "8081", "--group-protocol", "consumer", "--consumers", "2", "--partitions", "6",
                "--topic", "tx", "--group", "g"}, "pw");
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(config.dbUser()).isEqualTo("app");
        assertThat(config.httpPort()).isEqualTo(8081);
        assertThat(config.groupProtocol()).isEqualTo(DemoConfig.GroupProtocol.CONSUMER);
        assertThat(config.consumers()).isEqualTo(2);
        assertThat(config.topicPartitions()).isEqualTo(6);
        assertThat(config.toString()).doesNotContain("pw");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoService.parseArgs(new String[] {"--db-password", "x"}, null))
                .hasMessageContaining("Unknown option --db-password");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoService.start(new DemoConfig().kafka("k:1")))
                .hasMessageContaining("PostgreSQL JDBC URL");
    }

    @Test
    void withTwoConsumerThreadsThePauseIsEffectiveOnlyWhenBothApplied(TestDatabase db, KafkaBroker kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("two-" + suffix).groupId("two-" + suffix).consumers(2).topicPartitions(4))) {
            await("four partitions over two consumers", Duration.ofSeconds(20), () -> service.control().assignedPartitions().size() == 4);
            ControlStatus paused = service.pause();
            assertThat(paused.consumers()).isEqualTo(2);
            assertThat(paused.effective()).isEqualTo("paused");
            assertThat(paused.pausedPartitions()).hasSize(4);
            SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 1).sendNow(8);
            Thread.sleep(800);
            assertThat(service.stats().recordsConsumed()).isZero();
            assertThat(service.resume().effective()).isEqualTo("normal");
            try (Connection c = db.connect()) {
                assertThat(DeliveryVerifier.awaitAllProcessed(c, load.stop(), Duration.ofSeconds(20)).exactlyOnce()).isTrue();
            }
        }
    }

    static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, om) -> out.put(tp, om == null ? 0L : om.offset()));
        return out;
    }

    static Map<TopicPartition, Long> logEnd(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
