package io.jenkins.plugins.migrationrunbook.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import io.jenkins.plugins.migrationrunbook.config.ConsumerController;
import io.jenkins.plugins.migrationrunbook.config.KafkaCluster;
import io.jenkins.plugins.migrationrunbook.steps.CapturingListener;
import io.jenkins.plugins.migrationrunbook.steps.FakeTargets;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.demo.SteadyLoad;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pauseConsumers, resumeConsumers and checkConsumerLag as the steps run them on an agent, against the demo service's
 * real /ops/control, a real Kafka broker and PostgreSQL, with events produced throughout: nothing lost, nothing doubled.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class ConsumersAgainstDemoServiceTest {

    @Test
    void pauseResumeAndLagThroughThePluginSteps(TestDatabase db, KafkaBroker kafka, @TempDir Path workspace) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "persistence-service-" + suffix;
        try (DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("transactions-" + suffix).groupId(group).retryBackoff(Duration.ofMillis(100)));
             SteadyLoad load = SteadyLoad.directToKafka(kafka.bootstrapServers(), "transactions-" + suffix, 50)) {
            load.start();
            FakeTargets t = new FakeTargets();
            t.configuration.setKafkaClusters(List.of(new KafkaCluster("main", kafka.bootstrapServers())));
            ConsumerController c = new ConsumerController("persistence", "http");
            c.setCluster("main");
            c.setGroups(group);
            String control = service.baseUrl() + "/ops/control";
            c.setPauseUrl(control);
            c.setPauseBody("{\"mode\":\"paused\"}");
            c.setResumeUrl(control);
            c.setResumeBody("{\"mode\":\"normal\"}");
            c.setStatusUrl(control);
            c.setStatusPointer("/effective");
            c.setStatusRunningValue("normal");
            c.setCredentialsId("ops-token"); // the demo ignores it; here it exercises the secret files
            t.texts.put("ops-token", io.migrationrunbook.core.Secret.of("ops-token-value-never-logged"));
            t.configuration.setConsumerControllers(List.of(c));
            FilePath ws = new FilePath(workspace.toFile());
            CapturingListener log = new CapturingListener();
            Thread.sleep(1500); // the group joins and commits

            PauseConsumersStep pause = new PauseConsumersStep();
            pause.setController("persistence");
            Map<String, Object> paused = RunbookStep.runOnAgent("pauseConsumers", pause.task(t), ws, log);
            assertThat(paused.get("passed")).as(log.text()).isEqualTo(true);
            assertThat(paused.get("outcome")).isEqualTo("PAUSED");
            assertThat(service.control().effective()).isEqualTo("paused");
            assertThat(workspace.resolve(".runbook/consumers/consumers-state.json")).exists();
            assertThat(workspace.resolve(".runbook/consumers/secrets")).isEmptyDirectory();

            Thread.sleep(1000); // events pile up while paused

            ResumeConsumersStep resume = new ResumeConsumersStep();
            resume.setController("persistence");
            Map<String, Object> resumed = RunbookStep.runOnAgent("resumeConsumers", resume.task(t), ws, log);
            assertThat(resumed.get("passed")).as(log.text()).isEqualTo(true);

            CheckConsumerLagStep lag = new CheckConsumerLagStep();
            lag.setController("persistence");
            lag.setStateDir(".runbook/consumers");
            lag.setDeadline("30s");
            lag.setInterval("300ms");
            lag.setSamples(3);
            Map<String, Object> drained = RunbookStep.runOnAgent("checkConsumerLag", lag.task(t), ws, log);
            assertThat(drained.get("passed")).as(log.text()).isEqualTo(true);

            assertThat(log.text()).doesNotContain("ops-token-value-never-logged");
            SteadyLoad.Produced produced = load.stop();
            try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                DeliveryVerifier.DeliveryReport report = DeliveryVerifier.awaitAllProcessed(connection, produced, Duration.ofSeconds(30));
                assertThat(report.exactlyOnce()).as(report.toString()).isTrue();
            }
        }
    }
}
