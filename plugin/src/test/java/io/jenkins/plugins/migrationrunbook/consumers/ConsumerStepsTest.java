package io.jenkins.plugins.migrationrunbook.consumers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.config.ConsumerController;
import io.jenkins.plugins.migrationrunbook.config.KafkaCluster;
import io.jenkins.plugins.migrationrunbook.steps.FakeTargets;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.consumers.HumanGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerStepsTest {

    static FakeTargets targets() {
        FakeTargets t = new FakeTargets();
        KafkaCluster main = new KafkaCluster("main", "k1:9093");
        main.setSaslMechanism("SCRAM-SHA-512");
        main.setSaslCredentialsId("kafka-runbook");
        main.setTls(true);
        t.configuration.setKafkaClusters(List.of(main));
        ConsumerController ingestion = new ConsumerController("ingestion", "http");
        ingestion.setCluster("main");
        ingestion.setGroups("persistence-service, audit");
        t.configuration.setConsumerControllers(List.of(ingestion));
        t.logins.put("kafka-runbook", new Targets.Login("runbook", Secret.of("kafka-pw")));
        return t;
    }

    @Test
    void lagCheckTakesClusterAndGroupsFromTheControllerAndRequiresAThreshold() {
        FakeTargets t = targets();
        CheckConsumerLagStep step = new CheckConsumerLagStep();
        step.setController("ingestion");
        assertThatThrownBy(() -> step.task(t)).isInstanceOf(RunbookException.class).hasMessageContaining("maxLag");
        step.setMaxLag(1000L);

        CheckConsumerLagStep.LagTask task = step.task(t);

        assertThat(task.groups).containsExactly("persistence-service", "audit");
        assertThat(task.maxLag).isEqualTo(1000L);
        assertThat(task.stateDir).isEmpty();
        assertThat(task.samples).isEqualTo(5);
        assertThat(task.interval).isEqualTo("1s");
        assertThat(task.deadline).isEqualTo("5m");
        assertThat(task.kafka.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(task.secrets()).contains(Secret.of("kafka-pw"));
        assertThat(task.describe()).doesNotContain("kafka-pw");
    }

    @Test
    void explicitClusterAndGroupsWinAndBadDurationsFailEarly() {
        FakeTargets t = targets();
        CheckConsumerLagStep step = new CheckConsumerLagStep();
        step.setCluster("main");
        step.setGroups(List.of("g1"));
        step.setMaxLag(0L);
        step.setDeadline("10m");
        assertThat(step.task(t).groups).containsExactly("g1");
        step.setInterval("often");
        assertThatThrownBy(() -> step.task(t)).hasMessageContaining("Bad duration");
        CheckConsumerLagStep none = new CheckConsumerLagStep();
        none.setMaxLag(0L);
        assertThatThrownBy(() -> none.task(t)).hasMessageContaining("No Kafka cluster");
    }

    @Test
    void kafkaPasswordsReachTheEngineOnlyThroughTemporaryFiles() {
        KafkaAccess access = KafkaAccess.resolve(targets(), "main");
        assertThat(access.toString()).doesNotContain("kafka-pw");
        Path file;
        try (SecretFiles files = new SecretFiles()) {
            io.migrationrunbook.kafka.KafkaCluster cluster = access.engineCluster(files);
            assertThat(cluster.saslPassword().file()).isNotNull();
            file = Path.of(cluster.saslPassword().file());
            Map<String, Object> props = cluster.clientProperties();
            assertThat(props.get("sasl.jaas.config").toString()).contains("password=\"kafka-pw\"");
            assertThat(file).exists();
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void pauseAndResumeHandTheEngineAValidConfigurationWithSecretsOnlyInTemporaryFiles(@TempDir Path workspace) throws Exception {
        FakeTargets t = targets();
        ConsumerController ingestion = t.configuration.consumerController("ingestion");
        ingestion.setPauseUrl("http://ingestion:8080/ops/control");
        ingestion.setPauseBody("{\"mode\":\"paused\"}");
        ingestion.setResumeUrl("http://ingestion:8080/ops/control");
        ingestion.setResumeBody("{\"mode\":\"normal\"}");
        ingestion.setStatusUrl("http://ingestion:8080/ops/control");
        ingestion.setCredentialsId("ops-token");
        t.texts.put("ops-token", Secret.of("tok-123"));
        PauseConsumersStep pause = new PauseConsumersStep();
        pause.setController("ingestion");

        PauseConsumersStep.PauseTask task = pause.task(t);
        Path stateDir = workspace.resolve(".runbook/consumers");
        ObjectNode json = task.access.engineConfig(stateDir);
        ConsumersConfig config = ConsumersConfig.parse(json);

        assertThat(config.groups()).containsExactly("persistence-service", "audit");
        assertThat(config.kafka().securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(json.toString()).doesNotContain("kafka-pw").doesNotContain("tok-123");
        assertThat(task.secrets()).contains(Secret.of("tok-123"), Secret.of("kafka-pw"));
        assertThat(task.describe()).doesNotContain("tok-123");
        Path token = stateDir.resolve("secrets/controller-ingestion-credential");
        try (AutoCloseable files = ControllerAccess.writeSecretFiles(stateDir, task.access.secretFiles())) {
            assertThat(Files.readString(token)).isEqualTo("tok-123");
            assertThat(Files.getPosixFilePermissions(token)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(config.createControllers(HumanGate.refuseAll())).hasSize(1);
        }
        assertThat(token).doesNotExist();
        assertThat(new ResumeConsumersStep().getStateDir()).isEqualTo(pause.getStateDir());
    }

    @Test
    void aKubernetesControllerReachesTheEngineWithItsWorkloadAndTheTokenOnlyInATemporaryFile(@TempDir Path workspace) throws Exception {
        FakeTargets t = targets();
        ConsumerController scaled = new ConsumerController("ingest", "kubernetes");
        scaled.setCluster("main");
        scaled.setGroups("ingest");
        scaled.setApiServer("https://k8s.example:6443");
        scaled.setNamespace("pay");
        scaled.setKind("StatefulSet");
        scaled.setWorkload("ingest");
        scaled.setCredentialsId("sa-token");
        t.configuration.setConsumerControllers(List.of(scaled));
        t.texts.put("sa-token", Secret.of("sa-tok-456"));
        PauseConsumersStep pause = new PauseConsumersStep();
        pause.setController("ingest");
        Path stateDir = workspace.resolve(".runbook/consumers");

        ObjectNode json = pause.task(t).access.engineConfig(stateDir);
        ConsumersConfig config = ConsumersConfig.parse(json);

        io.migrationrunbook.consumers.KubernetesController.Definition definition =
                (io.migrationrunbook.consumers.KubernetesController.Definition) config.controllers().get(0);
        assertThat(definition.apiServer()).isEqualTo("https://k8s.example:6443");
        assertThat(definition.namespace()).isEqualTo("pay");
        assertThat(definition.kind()).isEqualTo("StatefulSet");
        assertThat(definition.workload()).isEqualTo("ingest");
        assertThat(definition.token().file()).isEqualTo(stateDir.resolve("secrets/controller-ingest-credential").toString());
        assertThat(json.toString()).doesNotContain("sa-tok-456");

        scaled.setNamespace("");
        assertThatThrownBy(() -> pause.task(t)).isInstanceOf(RunbookException.class).hasMessageContaining("Name the namespace");
    }

    @Test
    void manualAndIncompleteControllersAreRefusedBeforeAnythingIsPaused() {
        FakeTargets t = targets();
        PauseConsumersStep pause = new PauseConsumersStep();
        pause.setController("ingestion");
        assertThatThrownBy(() -> pause.task(t)).isInstanceOf(RunbookException.class).hasMessageContaining("URL is required");
        ConsumerController manual = new ConsumerController("ops", "manual");
        manual.setCluster("main");
        manual.setGroups("g");
        t.configuration.setConsumerControllers(List.of(manual));
        pause.setController("ops");
        assertThatThrownBy(() -> pause.task(t)).hasMessageContaining("is manual");
        pause.setController("");
        assertThatThrownBy(() -> pause.task(t)).hasMessageContaining("No consumer controller given");
    }

    @Test
    void leftPausedBannerSaysHowToResume() {
        String banner = WithConsumersPausedStep.leftPausedBanner("ingestion", ".runbook/consumers",
                new IllegalStateException("V7 failed"));
        assertThat(banner).contains("CONSUMERS OF 'ingestion' ARE STILL PAUSED").contains("V7 failed")
                .contains("resumeConsumers(controller: 'ingestion', stateDir: '.runbook/consumers')")
                .contains("runbook resume --state-dir .runbook/consumers")
                .contains("Fix the migration and rerun this pipeline: the rerun takes over the pause");
        WithConsumersPausedStep step = new WithConsumersPausedStep();
        assertThat(step.isResumeOnFailure()).as("safe default: stay paused for a forward fix").isFalse();
    }

    @Test
    void aPauseLeftByAnEarlierBuildIsTakenOverByDefaultAndTheTaskKnowsTheBuild() {
        FakeTargets t = targets();
        ConsumerController ingestion = t.configuration.consumerController("ingestion");
        ingestion.setPauseUrl("http://ingestion:8080/ops/control");
        ingestion.setResumeUrl("http://ingestion:8080/ops/control");
        PauseConsumersStep pause = new PauseConsumersStep();
        pause.setController("ingestion");
        assertThat(pause.isAdoptExistingPause()).isTrue();
        PauseConsumersStep.PauseTask task = pause.task(t);
        assertThat(task.adoptExistingPause).isTrue();
        assertThat(task.build).isEqualTo("release » migrate #1 (release/migrate#1)");
        assertThat(task.describe()).contains("taken over");
        pause.setAdoptExistingPause(false);
        assertThat(pause.task(t).adoptExistingPause).isFalse();
        assertThat(pause.task(t).describe()).doesNotContain("taken over");

        WithConsumersPausedStep block = new WithConsumersPausedStep();
        block.setController("ingestion");
        assertThat(block.isAdoptExistingPause()).isTrue();
        assertThat(block.pauseStep().isAdoptExistingPause()).isTrue();
        block.setAdoptExistingPause(false);
        assertThat(block.pauseStep().isAdoptExistingPause()).isFalse();
    }

    private static io.migrationrunbook.consumers.PauseState state(String status, String pausedBy, String... events) {
        java.time.Instant at = java.time.Instant.parse("2026-11-26T09:00:00Z");
        List<io.migrationrunbook.consumers.PauseState.Event> list = new java.util.ArrayList<>();
        for (String e : events) {
            list.add(new io.migrationrunbook.consumers.PauseState.Event(at, e));
        }
        return new io.migrationrunbook.consumers.PauseState(1, status, null, at, at, null, null, List.of(), Map.of(), Map.of(), list,
                pausedBy);
    }

    @Test
    void aPauseHeldByABuildThatStillRunsIsNotTakenOver(@TempDir Path workspace) throws Exception {
        String first = "release » migrate #41 (release/migrate#41)";
        String rerun = "release » migrate #42 (release/migrate#42)";
        assertThat(PauseConsumersStep.externalizableIdOf(first)).isEqualTo("release/migrate#41");
        assertThat(PauseConsumersStep.externalizableIdOf("run-20261126-1")).isNull();
        assertThat(PauseConsumersStep.externalizableIdOf(null)).isNull();
        // the holder is the last build that took the pause over, else the one that paused
        assertThat(PauseConsumersStep.holderOf(state("PAUSED", first, "pause requested for [g]"))).isEqualTo(first);
        assertThat(PauseConsumersStep.holderOf(state("PAUSED", first, "pause requested for [g]",
                "pause adopted by " + rerun + " (state was PAUSED): consumers kept paused, baseline of the pause verified at x kept")))
                .isEqualTo(rerun);

        assertThat(PauseConsumersStep.heldByRunningBuild("/s/consumers-state.json", first, "/s", id -> false)).isNull();
        assertThat(PauseConsumersStep.heldByRunningBuild("/s/consumers-state.json", "runbook pause", "/s", id -> true)).isNull();
        assertThat(PauseConsumersStep.heldByRunningBuild("/s/consumers-state.json", first, "/s", "release/migrate#41"::equals))
                .contains("/s/consumers-state.json").contains("held by " + first + ", which is still running")
                .contains("Give each its own stateDir");

        // read on the agent: nothing for no state or a resumed one; the holder and file for one left behind
        PauseConsumersStep.HolderTask task = new PauseConsumersStep.HolderTask(".runbook/consumers");
        assertThat(task.run(workspace.toFile(), null, null)).isEmpty();
        Path dir = workspace.resolve(".runbook/consumers");
        state("RESUMED", first).save(dir);
        assertThat(task.run(workspace.toFile(), null, null)).isEmpty();
        state("PAUSED", first).save(dir);
        assertThat(task.run(workspace.toFile(), null, null)).containsEntry("holder", first)
                .containsEntry("stateFile", dir.resolve("consumers-state.json").toString());
    }
}
