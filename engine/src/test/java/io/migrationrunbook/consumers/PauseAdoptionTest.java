package io.migrationrunbook.consumers;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.GroupSnapshot;
import io.migrationrunbook.kafka.PartitionOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which pause states a run may take over (pure: no Kafka): only a verified pause of exactly the same controllers and
 * groups; everything else is refused naming the state file and what to do. The Kafka half is in ForwardFixRerunTest.
 */
class PauseAdoptionTest {

    private static final Instant PAUSED_AT = Instant.parse("2026-11-26T10:00:00Z");

    private static ConsumersConfig config(String name, String type, String... groups) throws Exception {
        String yaml = """
                kafka: {bootstrapServers: "localhost:9092"}
                controllers:
                  - name: %s
                    type: %s
                    groups: [%s]
                """.formatted(name, type, String.join(", ", groups))
                + ("http".equals(type) ? """
                    pause:  {url: "http://localhost:1/ops/control", body: {mode: paused}}
                    resume: {url: "http://localhost:1/ops/control", body: {mode: normal}}
                """ : "");
        return ConsumersConfig.parse(Json.yaml().readTree(yaml));
    }

    private static PauseState state(String status, ConsumersConfig config, boolean resumeRequested, boolean verified) {
        List<PauseState.ControllerRecord> controllers = config.controllers().stream()
                .map(c -> new PauseState.ControllerRecord(c.name(), c.type(), c.groups(), true, resumeRequested, null)).toList();
        Map<String, GroupSnapshot> baseline = new java.util.LinkedHashMap<>();
        for (String group : config.groups()) {
            baseline.put(group, new GroupSnapshot(group, "STABLE", "CLASSIC", 1, PAUSED_AT,
                    List.of(PartitionOffsets.of("t", 0, 10L, 15, true))));
        }
        return new PauseState(1, status, config.source(), PAUSED_AT, verified ? PAUSED_AT.plusSeconds(1) : null, null, null,
                controllers, baseline, verified ? baseline : Map.of(), List.of(), "run-1");
    }

    @Test
    void aVerifiedPauseOfTheSameControllersAndGroupsCanBeTakenOver() throws Exception {
        ConsumersConfig config = config("persistence", "http", "persistence-service");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.PAUSED, config, false, true), config)).isNull();
        // a resume whose every request failed left everything paused as far as any controller was asked
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.RESUME_FAILED, config, false, true), config)).isNull();
        // the group order in the file does not matter
        ConsumersConfig two = config("persistence", "http", "a", "b");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.PAUSED, two, false, true), config("persistence", "http", "b", "a")))
                .isNull();
    }

    @Test
    void anythingButAVerifiedPauseIsRefusedWithWhatItIs() throws Exception {
        ConsumersConfig config = config("persistence", "http", "persistence-service");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.PAUSING, config, false, false), config))
                .contains("status PAUSING").contains("interrupted before it was verified");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.PAUSE_FAILED, config, false, false), config))
                .contains("status PAUSE_FAILED").contains("undone");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.RESUMING, config, true, true), config))
                .contains("status RESUMING");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.RESUME_UNVERIFIED, config, true, true), config))
                .contains("status RESUME_UNVERIFIED");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.RESUME_FAILED, config, true, true), config))
                .contains("RESUME_FAILED").contains("[persistence] accepted the resume");
        assertThat(PauseConsumers.adoptionRefusal(state(PauseState.PAUSED, config, false, false), config))
                .contains("never verified");
    }

    @Test
    void aPauseOfOtherConsumersIsRefusedNamingBoth() throws Exception {
        ConsumersConfig paused = config("persistence", "http", "persistence-service");
        PauseState state = state(PauseState.PAUSED, paused, false, true);
        assertThat(PauseConsumers.adoptionRefusal(state, config("persistence", "http", "persistence-service", "audit")))
                .contains("other consumers").contains("persistence (http [persistence-service])")
                .contains("persistence (http [audit, persistence-service])");
        assertThat(PauseConsumers.adoptionRefusal(state, config("ingestion", "http", "persistence-service"))).contains("other consumers");
        assertThat(PauseConsumers.adoptionRefusal(state, config("persistence", "manual", "persistence-service"))).contains("other consumers");
    }

    @Test
    void theRefusalNamesTheStateFileAndWhatToDoBeforeAnySideEffect(@TempDir Path dir) throws Exception {
        ConsumersConfig paused = config("persistence", "http", "persistence-service");
        state(PauseState.PAUSED, paused, false, true).save(dir);
        String before = Files.readString(PauseState.file(dir));

        assertThatThrownBy(() -> PauseConsumers.with(config("other", "http", "other-group")).stateDir(dir).adopt())
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining(PauseState.file(dir).toString()).hasMessageContaining("cannot be taken over")
                .hasMessageContaining("runbook resume --state-dir " + dir).hasMessageContaining("remove");
        assertThat(Files.readString(PauseState.file(dir))).isEqualTo(before);
        assertThatThrownBy(() -> PauseConsumers.with(paused).stateDir(dir.resolve("empty")).adopt())
                .isInstanceOf(RunbookException.class).hasMessageContaining("No pause to take over").hasMessageContaining("pause the consumers afresh");
        // `runbook pause` stays explicit: it does not take a pause over, it refuses
        assertThatThrownBy(() -> PauseConsumers.with(paused).stateDir(dir).execute())
                .isInstanceOf(RunbookException.class).hasMessageContaining("already paused").hasMessageContaining("by run-1");
    }

    @Test
    void takingOverKeepsTheFirstPauseTimeAndBaselineAndRecordsWhoTookItOver() throws Exception {
        ConsumersConfig config = config("persistence", "http", "persistence-service");
        PauseState adopted = state(PauseState.RESUME_FAILED, config, false, true).adoptedBy("run-2", config.source());
        assertThat(adopted.status()).isEqualTo(PauseState.PAUSED);
        assertThat(adopted.pauseRequestedAt()).isEqualTo(PAUSED_AT);
        assertThat(adopted.pausedBy()).isEqualTo("run-1");
        assertThat(adopted.baselineLag()).containsEntry("persistence-service", 5L);
        assertThat(adopted.resumeRequestedAt()).isNull();
        assertThat(adopted.events()).last().extracting(PauseState.Event::what).asString()
                .contains("pause adopted by run-2").contains("state was RESUME_FAILED");
    }
}
