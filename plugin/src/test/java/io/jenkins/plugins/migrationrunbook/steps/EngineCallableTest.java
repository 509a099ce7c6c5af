package io.jenkins.plugins.migrationrunbook.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.EngineCallable;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.agent.StepResults;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.core.SecretRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCallableTest {

    static final String PASSWORD = "s3cr3t-Pa55";

    /** A task that does what a careless engine might: print the secret, then fail quoting it. */
    static final class LeakyTask extends AgentTask<Object> {
        private static final long serialVersionUID = 1L;
        final Secret secret = Secret.of(PASSWORD);
        final boolean fail;
        Path secretFile;

        LeakyTask(boolean fail) {
            this.fail = fail;
        }

        @Override
        public Object run(File workspace, Progress progress, SecretFiles secrets) throws Exception {
            progress.report("connecting with password " + secret.reveal());
            SecretRef ref = secrets.write(secret);
            secretFile = Path.of(ref.file());
            assertThat(Files.getPosixFilePermissions(secretFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(ref.resolve("k").reveal()).isEqualTo(PASSWORD);
            if (fail) {
                throw new java.sql.SQLException("FATAL: password authentication failed, got '" + PASSWORD + "'");
            }
            return Map.of("ok", true);
        }

        @Override
        public List<Secret> secrets() {
            return List.of(secret);
        }

        @Override
        public String describe() {
            return "leaky";
        }
    }

    @Test
    void secretsNeverReachTheLogNorTheFailureAndSecretFilesAreRemoved(@TempDir Path ws) {
        CapturingListener listener = new CapturingListener();
        LeakyTask task = new LeakyTask(true);

        assertThatThrownBy(() -> RunbookStep.runOnAgent("dbBackup", task, new FilePath(ws.toFile()), listener))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("[dbBackup] environment error: SQLException: FATAL: password authentication failed")
                .hasMessageNotContaining(PASSWORD)
                .satisfies(e -> assertThat(e.getCause()).isNull());

        assertThat(listener.text()).contains("connecting with password ****").doesNotContain(PASSWORD);
        assertThat(task.secretFile).doesNotExist();
    }

    @Test
    void successReturnsThePlainMap(@TempDir Path ws) throws Exception {
        CapturingListener listener = new CapturingListener();
        Map<String, Object> result = new EngineCallable(new LeakyTask(false), listener).invoke(ws.toFile(), null);
        assertThat(result).containsEntry("ok", true);
        assertThat(listener.text()).doesNotContain(PASSWORD);
    }

    @Test
    void taskCrossesTheChannelSerializedAndTheSecretIsNotInItsToString() throws Exception {
        LeakyTask task = new LeakyTask(false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new EngineCallable(task, new CapturingListener()));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isInstanceOf(EngineCallable.class);
        }
        assertThat(task.secret.toString()).isEqualTo("****");
    }

    record Inner(String name, Duration took) {
    }

    record Outer(String file, long sizeBytes, boolean verified, Instant at, List<Inner> parts, String none) {
    }

    @Test
    void resultRecordsBecomePlainSerializableMaps() throws Exception {
        Outer outer = new Outer("/b/app.dump", 42L, true, Instant.parse("2026-11-26T10:00:00Z"),
                List.of(new Inner("orders", Duration.ofMillis(1500))), null);

        Map<String, Object> map = StepResults.toMap(outer);

        assertThat(map).containsEntry("file", "/b/app.dump").containsEntry("sizeBytes", 42L).containsEntry("verified", true)
                .containsEntry("at", "2026-11-26T10:00:00Z").doesNotContainKey("none");
        assertThat(map.get("parts")).isEqualTo(List.of(Map.of("name", "orders", "took", "PT1.5S")));
        assertThat(map).isInstanceOf(Serializable.class);
        assertThat(StepResults.toMap(List.of(1, 2))).containsEntry("value", List.of(1, 2));
        assertThat(StepResults.toMap(null)).isEmpty();
    }

    @Test
    void aFailedCheckFailsTheStepWithItsReason(@TempDir Path ws) {
        AgentTask<Object> task = new AgentTask<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Object run(File workspace, Progress progress, SecretFiles secrets) {
                return Map.of("passed", false, "reason", "lag still 5000 after 5m");
            }

            @Override
            public List<Secret> secrets() {
                return List.of();
            }

            @Override
            public String describe() {
                return "check";
            }
        };
        assertThatThrownBy(() -> RunbookStep.runOnAgent("checkConsumerLag", task, new FilePath(ws.toFile()), new CapturingListener()))
                .isInstanceOf(AbortException.class).hasMessage("[checkConsumerLag] check failed: lag still 5000 after 5m");
    }

    @Test
    void engineKindsNameTheFailure() {
        assertThat(RunbookStep.failure("dbBackup", RunbookException.configuration("bad")).getMessage())
                .isEqualTo("[dbBackup] configuration error: bad");
        assertThat(RunbookStep.failure("dbBackup", RunbookException.checkFailed("no")).getMessage())
                .isEqualTo("[dbBackup] check failed: no");
    }
}
