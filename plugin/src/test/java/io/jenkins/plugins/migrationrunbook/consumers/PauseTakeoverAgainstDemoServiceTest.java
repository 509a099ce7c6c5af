package io.jenkins.plugins.migrationrunbook.consumers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.migrationrunbook.config.ConsumerController;
import io.jenkins.plugins.migrationrunbook.config.KafkaCluster;
import io.jenkins.plugins.migrationrunbook.steps.CapturingListener;
import io.jenkins.plugins.migrationrunbook.steps.FakeTargets;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.migrationrunbook.consumers.PauseState;
import io.migrationrunbook.demo.DeliveryVerifier;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.demo.SteadyLoad;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.OffsetsReader;
import io.migrationrunbook.kafka.PartitionOffsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forward-fix rerun in Jenkins: a build that failed after pauseConsumers left the consumers paused and the state in
 * the state directory; the next build's pauseConsumers takes that pause over (outcome ADOPTED, pausedAt and pausedBy
 * of the first build) and its resumeConsumers resumes them. And the refusals, before any side effect: consumers
 * resumed by hand (NOT_ADOPTED), a pause of other consumers, adoptExistingPause: false. Against the demo service's
 * real /ops/control, a real Kafka broker and PostgreSQL, with events produced throughout: nothing lost, nothing doubled.
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class PauseTakeoverAgainstDemoServiceTest {

    private static final String FIRST_BUILD = "release » migrate #41 (release/migrate#41)";
    private static final String RERUN = "release » migrate #42 (release/migrate#42)";

    private record Setup(DemoService service, SteadyLoad load, String group, FakeTargets targets, FilePath ws, Path stateDir)
            implements AutoCloseable {
        @Override
        public void close() {
            load.close();
            service.close();
        }
    }

    private static Setup start(TestDatabase db, KafkaBroker kafka, Path workspace) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "persistence-service-" + suffix;
        DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("transactions-" + suffix).groupId(group).retryBackoff(Duration.ofMillis(100)));
        SteadyLoad load = SteadyLoad.directToKafka(kafka.bootstrapServers(), "transactions-" + suffix, 50);
        load.start();
        FakeTargets t = new FakeTargets();
        t.configuration.setKafkaClusters(List.of(new KafkaCluster("main", kafka.bootstrapServers())));
        t.configuration.setConsumerControllers(List.of(controller("persistence", group, service)));
        await(() -> service.stats().eventsProcessed() > 10 && everyPartitionCommitted(kafka, group),
                "the demo's consumers process events and commit on every partition");
        return new Setup(service, load, group, t, new FilePath(workspace.toFile()), workspace.resolve(ControllerAccess.DEFAULT_STATE_DIR));
    }

    private static ConsumerController controller(String id, String groups, DemoService service) {
        ConsumerController c = new ConsumerController(id, "http");
        c.setCluster("main");
        c.setGroups(groups);
        String control = service.baseUrl() + "/ops/control";
        c.setPauseUrl(control);
        c.setPauseBody("{\"mode\":\"paused\"}");
        c.setResumeUrl(control);
        c.setResumeBody("{\"mode\":\"normal\"}");
        c.setStatusUrl(control);
        c.setStatusPointer("/effective");
        c.setStatusRunningValue("normal");
        return c;
    }

    private static Map<String, Object> pause(Setup s, String build, CapturingListener log) throws Exception {
        s.targets().build = build;
        PauseConsumersStep pause = new PauseConsumersStep();
        pause.setController("persistence");
        return RunbookStep.runOnAgent("pauseConsumers", pause.task(s.targets()), s.ws(), log);
    }

    @Test
    void theRerunTakesOverThePauseAFailedBuildLeftAndResumesIt(TestDatabase db, KafkaBroker kafka, @TempDir Path workspace)
            throws Exception {
        try (Setup s = start(db, kafka, workspace)) {
            CapturingListener firstLog = new CapturingListener();
            Map<String, Object> first = pause(s, FIRST_BUILD, firstLog);
            assertThat(first.get("outcome")).as(firstLog.text()).isEqualTo("PAUSED");
            assertThat(first.get("pausedBy")).isEqualTo(FIRST_BUILD);
            assertThat(first.get("pausedAt")).isEqualTo(first.get("requestedAt"));
            assertThat(PauseState.load(s.stateDir()).pausedBy()).isEqualTo(FIRST_BUILD);
            // the first build fails here (its migration broke): the consumers stay paused, the state stays in stateDir
            long producedWhilePaused = s.load().produced().count();
            await(() -> s.load().produced().count() >= producedWhilePaused + 30, "the load produces while the consumers are paused");

            CapturingListener log = new CapturingListener();
            Map<String, Object> rerun = pause(s, RERUN, log);

            assertThat(rerun.get("passed")).as(log.text()).isEqualTo(true);
            assertThat(rerun.get("outcome")).isEqualTo("ADOPTED");
            assertThat(rerun.get("pausedAt")).as("the first pause's time").isEqualTo(first.get("pausedAt"));
            assertThat(rerun.get("pausedBy")).isEqualTo(FIRST_BUILD);
            assertThat(log.text()).contains("PAUSE TAKEN OVER").contains("paused by " + FIRST_BUILD)
                    .contains(RERUN + " keeps them paused and resumes them");
            assertThat(s.service().control().effective()).isEqualTo("paused");
            PauseState state = PauseState.load(s.stateDir());
            assertThat(state.status()).isEqualTo(PauseState.PAUSED);
            assertThat(state.pausedBy()).isEqualTo(FIRST_BUILD);
            assertThat(state.events()).last().extracting(PauseState.Event::what).asString().contains("pause adopted by " + RERUN);
            // the rerun holds the pause now: a concurrent build or parallel branch sharing the stateDir would be refused
            Map<String, Object> held = s.ws().act(new io.jenkins.plugins.migrationrunbook.agent.EngineCallable(
                    new PauseConsumersStep.HolderTask(ControllerAccess.DEFAULT_STATE_DIR), log));
            assertThat(held).containsEntry("holder", RERUN);
            assertThat(PauseConsumersStep.heldByRunningBuild((String) held.get("stateFile"), RERUN, ControllerAccess.DEFAULT_STATE_DIR,
                    "release/migrate#42"::equals)).contains("which is still running");

            ResumeConsumersStep resume = new ResumeConsumersStep();
            resume.setController("persistence");
            Map<String, Object> resumed = RunbookStep.runOnAgent("resumeConsumers", resume.task(s.targets()), s.ws(), log);
            assertThat(resumed.get("passed")).as(log.text()).isEqualTo(true);
            assertThat(PauseState.load(s.stateDir()).isResumed()).isTrue();
            assertThat(s.service().control().effective()).isEqualTo("normal");

            assertExactlyOnce(db, s.load());
        }
    }

    @Test
    void consumersResumedByHandOrOtherConsumersAreRefusedBeforeAnySideEffect(TestDatabase db, KafkaBroker kafka,
                                                                           @TempDir Path workspace) throws Exception {
        try (Setup s = start(db, kafka, workspace)) {
            Map<String, Object> first = pause(s, FIRST_BUILD, new CapturingListener());
            assertThat(first.get("outcome")).isEqualTo("PAUSED");
            Path file = PauseState.file(s.stateDir());
            byte[] state = Files.readAllBytes(file);

            // a pause of other consumers (another controller id and group) in the same stateDir: refused from the state alone
            s.targets().configuration.setConsumerControllers(List.of(controller("persistence", s.group(), s.service()),
                    controller("audit", "audit-service", s.service())));
            s.targets().build = RERUN;
            PauseConsumersStep other = new PauseConsumersStep();
            other.setController("audit");
            assertThatThrownBy(() -> RunbookStep.runOnAgent("pauseConsumers", other.task(s.targets()), s.ws(), new CapturingListener()))
                    .isInstanceOf(AbortException.class).hasMessageContaining("[pauseConsumers] configuration error")
                    .hasMessageContaining("cannot be taken over").hasMessageContaining("other consumers")
                    .hasMessageContaining("runbook resume --state-dir " + s.stateDir());

            // opting out: a pause left behind is refused, not taken over
            PauseConsumersStep optOut = new PauseConsumersStep();
            optOut.setController("persistence");
            optOut.setAdoptExistingPause(false);
            assertThatThrownBy(() -> RunbookStep.runOnAgent("pauseConsumers", optOut.task(s.targets()), s.ws(), new CapturingListener()))
                    .isInstanceOf(AbortException.class).hasMessageContaining("already paused").hasMessageContaining("by " + FIRST_BUILD);
            assertThat(Files.readAllBytes(file)).isEqualTo(state);
            assertThat(s.service().control().effective()).isEqualTo("paused");

            // someone resumes the consumers by hand, not through resumeConsumers: the state still says PAUSED
            Map<String, Long> atPause = committed(PauseState.load(s.stateDir()).baseline().get(s.group()));
            s.service().resume();
            await(() -> !committed(kafka, s.group()).equals(atPause), "the consumers resumed by hand commit again");

            CapturingListener log = new CapturingListener();
            assertThatThrownBy(() -> pause(s, RERUN, log))
                    .isInstanceOf(AbortException.class).hasMessageContaining("[pauseConsumers] check failed")
                    .hasMessageContaining("Kafka shows they are not").hasMessageContaining("moved since the pause's baseline")
                    .hasMessageContaining("runbook resume --state-dir " + s.stateDir()).hasMessageContaining("remove");
            assertThat(log.text()).contains("NOT taken over").doesNotContain("PAUSE TAKEN OVER");
            // nothing was asked of the controller, and the state is as the first build left it
            assertThat(s.service().control().effective()).isEqualTo("normal");
            assertThat(Files.readAllBytes(file)).isEqualTo(state);

            assertExactlyOnce(db, s.load());
        }
    }

    private static void assertExactlyOnce(TestDatabase db, SteadyLoad load) throws Exception {
        SteadyLoad.Produced produced = load.stop();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            DeliveryVerifier.DeliveryReport report = DeliveryVerifier.awaitAllProcessed(connection, produced, Duration.ofSeconds(90));
            assertThat(report.exactlyOnce()).as(report.toString()).isTrue();
        }
    }

    private static Map<String, Long> committed(KafkaBroker kafka, String group) {
        io.migrationrunbook.kafka.KafkaCluster cluster = io.migrationrunbook.kafka.KafkaCluster.plaintext(kafka.bootstrapServers());
        try (Admin admin = cluster.openAdmin()) {
            return committed(new OffsetsReader(cluster, admin).read(group));
        }
    }

    private static Map<String, Long> committed(GroupSnapshot snapshot) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (PartitionOffsets p : snapshot.partitions()) {
            offsets.put(p.key(), p.committed());
        }
        return offsets;
    }

    /** Every partition with messages has a committed offset (the load's keys may leave a partition empty). */
    private static boolean everyPartitionCommitted(KafkaBroker kafka, String group) {
        io.migrationrunbook.kafka.KafkaCluster cluster = io.migrationrunbook.kafka.KafkaCluster.plaintext(kafka.bootstrapServers());
        try (Admin admin = cluster.openAdmin()) {
            List<PartitionOffsets> partitions = new OffsetsReader(cluster, admin).read(group).partitions();
            return !partitions.isEmpty() && partitions.stream().allMatch(p -> p.logEnd() == 0 || p.committed() != null);
        } catch (RuntimeException groupNotThereYet) {
            return false;
        }
    }

    /** Polls until the condition holds; a generous deadline for a loaded machine. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
