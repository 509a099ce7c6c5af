package io.jenkins.plugins.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.migrationrunbook.config.ConsumerController;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configured consumer controller and its cluster, credentials resolved on the controller, turned on the agent into
 * the engine's consumers configuration. Secrets reach the engine as {@code {file: PATH}} references to 0600 files at
 * fixed places under the state directory ({@code secrets/}): the pause state records those references, so the resume
 * step writes the same files again, and they exist only while a step runs.
 */
public record ControllerAccess(String name, String type, List<String> groups, String httpMethod, String pauseUrl, String pauseBody,
                               String resumeUrl, String resumeBody, String statusUrl, String statusPointer, String statusPausedValue,
                               String statusRunningValue, String connectUrl,
                               List<String> connectors, String authType, String username, Secret credential, KafkaAccess kafka,
                               Kubernetes kubernetes)
        implements Serializable {

    /** Type kubernetes: the workload to scale; blank apiServer and caCert mean the engine's in-cluster defaults. */
    public record Kubernetes(String apiServer, String namespace, String kind, String workload, String caCert) implements Serializable {
    }

    /**
     * Where pauseConsumers keeps the pause state by default and where resumeConsumers and withConsumersPaused look for
     * it: one value, so a resume always finds what a pause recorded.
     */
    public static final String DEFAULT_STATE_DIR = ".runbook/consumers";

    /** A step's {@code stateDir} parameter, blank meaning the default. */
    public static String stateDirOrDefault(String stateDir) {
        return stateDir == null || stateDir.isBlank() ? DEFAULT_STATE_DIR : stateDir.trim();
    }

    public static ControllerAccess resolve(Targets targets, String controllerId) {
        if (controllerId == null || controllerId.isBlank()) {
            throw RunbookException.configuration("No consumer controller given: pass controller: 'ID', one of the consumer "
                    + "controllers configured under Manage Jenkins > System > Migration Runbook.");
        }
        ConsumerController c = targets.configuration().consumerController(controllerId);
        String problem = c.problem();
        if (problem != null) {
            throw RunbookException.configuration(problem);
        }
        if (c.getType().equals("manual")) {
            throw RunbookException.configuration("Consumer controller '" + c.getId() + "' is manual: in Jenkins, pause the consumers "
                    + "behind an input step and check the effect with checkConsumerLag, or configure an http, kafka-connect or kubernetes controller.");
        }
        String authType = null;
        String username = null;
        Secret credential = null;
        if (!c.getCredentialsId().isEmpty()) {
            try {
                Targets.Login login = targets.usernamePassword(c.getCredentialsId());
                authType = "basic";
                username = login.user();
                credential = login.password();
            } catch (RunbookException notUsernamePassword) {
                authType = "bearer";
                credential = targets.secretText(c.getCredentialsId());
            }
        }
        return new ControllerAccess(c.getId(), c.getType(), c.getGroupList(), c.getHttpMethod(), c.getPauseUrl(), c.getPauseBody(),
                c.getResumeUrl(), c.getResumeBody(), c.getStatusUrl(), c.getStatusPointer(), c.getStatusPausedValue(),
                c.getStatusRunningValue(), c.getConnectUrl(),
                io.jenkins.plugins.migrationrunbook.config.Validation.splitList(c.getConnectors()), authType, username, credential,
                KafkaAccess.resolve(targets, c.getCluster()),
                new Kubernetes(c.getApiServer(), c.getNamespace(), c.getKind(), c.getWorkload(), c.getCaCert()));
    }

    /** Where each secret lives while a step runs, relative to the state directory. */
    public Map<String, Secret> secretFiles() {
        Map<String, Secret> files = new LinkedHashMap<>();
        if (kafka.saslPassword() != null) {
            files.put("secrets/kafka-sasl-password", kafka.saslPassword());
        }
        if (kafka.truststorePassword() != null) {
            files.put("secrets/kafka-truststore-password", kafka.truststorePassword());
        }
        if (credential != null) {
            files.put("secrets/controller-" + name + "-credential", credential);
        }
        return files;
    }

    public List<Secret> secrets() {
        List<Secret> out = new ArrayList<>(kafka.secrets());
        out.add(credential);
        return out;
    }

    /** The engine's consumers configuration (the YAML of docs/consumers.md, as a tree). */
    public ObjectNode engineConfig(Path stateDir) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode k = root.putObject("kafka");
        k.put("bootstrapServers", kafka.bootstrapServers());
        ObjectNode security = k.putObject("security");
        security.put("protocol", kafka.securityProtocol());
        if (kafka.saslMechanism() != null) {
            ObjectNode sasl = security.putObject("sasl");
            sasl.put("mechanism", kafka.saslMechanism());
            sasl.put("username", kafka.saslUsername());
            sasl.putObject("password").put("file", stateDir.resolve("secrets/kafka-sasl-password").toString());
        }
        if (kafka.truststorePath() != null) {
            ObjectNode ts = security.putObject("truststore");
            ts.put("path", kafka.truststorePath());
            if (kafka.truststorePassword() != null) {
                ts.putObject("password").put("file", stateDir.resolve("secrets/kafka-truststore-password").toString());
            }
        }
        ArrayNode controllers = root.putArray("controllers");
        ObjectNode c = controllers.addObject();
        c.put("name", name);
        c.put("type", type);
        ArrayNode g = c.putArray("groups");
        groups.forEach(g::add);
        if (type.equals("http")) {
            call(c.putObject("pause"), httpMethod, pauseUrl, pauseBody);
            call(c.putObject("resume"), httpMethod, resumeUrl, resumeBody);
            if (statusUrl != null && !statusUrl.isEmpty()) {
                ObjectNode s = c.putObject("status");
                s.put("url", statusUrl);
                s.put("pointer", statusPointer == null || statusPointer.isEmpty() ? "/mode" : statusPointer);
                s.put("paused", statusPausedValue == null || statusPausedValue.isEmpty() ? "paused" : statusPausedValue);
                if (statusRunningValue != null && !statusRunningValue.isEmpty()) {
                    s.put("running", statusRunningValue);
                }
            }
        } else if (type.equals("kubernetes")) {
            if (!kubernetes.apiServer().isEmpty()) {
                c.put("apiServer", kubernetes.apiServer());
            }
            c.put("namespace", kubernetes.namespace());
            c.put("kind", kubernetes.kind());
            c.put("workload", kubernetes.workload());
            if (!kubernetes.caCert().isEmpty()) {
                c.put("caCert", kubernetes.caCert());
            }
        } else {
            c.put("url", connectUrl);
            ArrayNode conn = c.putArray("connectors");
            connectors.forEach(conn::add);
        }
        if (credential != null && type.equals("kubernetes")) {
            if (!"bearer".equals(authType)) {
                throw RunbookException.configuration("Consumer controller '" + name + "' (kubernetes) needs a secret text credential "
                        + "(a service account token), not a username and password.");
            }
            c.putObject("token").put("file", stateDir.resolve("secrets/controller-" + name + "-credential").toString());
        } else if (credential != null) {
            ObjectNode auth = c.putObject("auth");
            auth.put("type", authType);
            String ref = stateDir.resolve("secrets/controller-" + name + "-credential").toString();
            if (authType.equals("basic")) {
                auth.put("username", username);
                auth.putObject("password").put("file", ref);
            } else {
                auth.putObject("token").put("file", ref);
            }
        }
        return root;
    }

    private static void call(ObjectNode node, String method, String url, String body) {
        node.put("method", method);
        node.put("url", url);
        if (body != null && !body.isEmpty()) {
            node.put("body", body);
        }
    }

    /** Writes the secret files for a step; delete them with the returned handle. */
    public static AutoCloseable writeSecretFiles(Path stateDir, Map<String, Secret> files) {
        List<Path> written = new ArrayList<>();
        AutoCloseable cleanup = () -> {
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
        };
        try {
            for (Map.Entry<String, Secret> e : files.entrySet()) {
                Path p = stateDir.resolve(e.getKey());
                Files.createDirectories(p.getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.deleteIfExists(p);
                Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                written.add(p);
                Files.writeString(p, e.getValue().reveal());
            }
        } catch (IOException ex) {
            try {
                cleanup.close();
            } catch (Exception ignored) {
                // best effort
            }
            throw RunbookException.environment("Cannot write the temporary secret files under " + stateDir.resolve("secrets")
                    + " on the agent (" + ex.getClass().getSimpleName() + "): check that the state directory is writable.");
        }
        return cleanup;
    }

    @Override
    public String toString() {
        return "ControllerAccess[" + name + " " + type + " " + groups + "]";
    }
}
