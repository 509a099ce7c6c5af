package io.migrationrunbook.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A step that throws an {@link Error} (here a StackOverflowError from the operator's gate while the consumers are
 * resumed) after the consumers were paused: the Error is not swallowed, but the report is written first, with the step
 * FAILED, the run FAILED and the next actions saying the consumers are still paused and how to resume them.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class PlanRunnerErrorTest {

    @Test
    void anErrorAfterThePauseIsRethrownAfterTheReportIsWrittenWithTheStillPausedNextActions(TestDatabase db, KafkaBroker kafka,
                                                                                          @TempDir Path dir) throws Exception {
        String topic = "error-" + System.nanoTime();
        String group = topic + "-group";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        // a group with a committed offset and no member (EMPTY): a manual pause verifies without a live consumer
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1))).all().get();
        }
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/V1__create_events_table.sql"), "CREATE TABLE events (id bigint PRIMARY KEY);");
        Files.writeString(dir.resolve("consumers.yaml"), """
                kafka: {bootstrapServers: "%s", requestTimeout: 10s}
                verification: {quietWindow: 300ms, pollInterval: 100ms, pauseTimeout: 30s, resumeTimeout: 30s}
                controllers:
                  - name: by-hand
                    type: manual
                    groups: [%s]
                    pauseInstructions: "Scale the consumers to zero."
                    resumeInstructions: "Scale the consumers back up."
                """.formatted(kafka.bootstrapServers(), group));
        Files.writeString(dir.resolve("plan.yaml"), """
                name: error after the pause
                database: {url: "%s", user: %s}
                migrations: {locations: [filesystem:migrations]}
                backup: {enabled: false}
                consumers: {config: consumers.yaml, pause: always, stateDir: state}
                onFailure: {resumeConsumers: true}
                """.formatted(db.jdbcUrl(), db.user()));
        List<String> asked = new CopyOnWriteArrayList<>();
        StackOverflowError overflow = new StackOverflowError();

        PlanRunner runner = PlanRunner.builder(PlanLoader.load(dir.resolve("plan.yaml")), dir, dir.resolve("out"))
                .humanGate(request -> {
                    asked.add(request);
                    if (request.contains("Scale the consumers back up")) {
                        throw overflow;
                    }
                    return true;
                }).build();

        assertThatThrownBy(runner::run).as("the Error is rethrown, not swallowed").isSameAs(overflow);

        assertThat(asked).as("paused by hand, then the resume blew up; no second resume after the Error").hasSize(2);
        JsonNode report = Json.mapper().readTree(Files.readString(dir.resolve("out/report.json")));
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(step(report, "pauseConsumers").get("status").asText()).isEqualTo("PASSED");
        assertThat(step(report, "flywayMigrate").get("status").asText()).isEqualTo("PASSED");
        JsonNode resume = step(report, "resumeConsumers");
        assertThat(resume.get("status").asText()).isEqualTo("FAILED");
        assertThat(resume.get("reason").asText()).isEqualTo("StackOverflowError");
        assertThat(step(report, "checkConsumerLag").get("status").asText()).isEqualTo("SKIPPED");
        String next = report.get("nextActions").toString();
        assertThat(next).contains("STILL PAUSED").contains("runbook resume --state-dir " + dir.resolve("state"))
                .contains("Forward-only");
        assertThat(report.get("pause").get("stillPaused").asBoolean()).isTrue();
        assertThat(Files.readString(dir.resolve("out/report.html"))).contains("STILL PAUSED");
    }

    private static JsonNode step(JsonNode report, String name) {
        for (JsonNode step : report.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + report.get("steps"));
    }
}
