package io.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.kafka.KafkaCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consumers configuration ({@code --consumers FILE}, YAML): the Kafka cluster, how pauses are verified, lag check
 * defaults, and the controllers with their groups. See docs/consumers.md. Parsing validates everything except the
 * secrets' values (read by {@link ControllerDefinition#create} and {@link KafkaCluster#clientProperties()}), and the
 * configuration holds secret references only, so {@link #source()} can be copied into the pause state.
 */
public record ConsumersConfig(KafkaCluster kafka, Verification verification, LagDefaults lag,
                              List<ControllerDefinition> controllers, JsonNode source) {

    /** Pause and resume verification timings. */
    public record Verification(Duration quietWindow, Duration pollInterval, Duration pauseTimeout, Duration resumeTimeout) {
        public static Verification defaults() {
            return new Verification(Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(60), Duration.ofSeconds(60));
        }
    }

    /** Defaults for {@code runbook lag}; flags override them. */
    public record LagDefaults(int samples, Duration interval, Duration deadline, Long maxLag) {
        public static LagDefaults defaults() {
            return new LagDefaults(5, Duration.ofSeconds(1), Duration.ofMinutes(5), null);
        }
    }

    public static ConsumersConfig read(Path file) {
        if (file == null) {
            throw RunbookException.configuration("No consumers configuration: pass --consumers FILE (see docs/consumers.md).");
        }
        JsonNode root;
        try {
            root = Json.yaml().readTree(Files.readString(file));
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
            throw RunbookException.configuration("Cannot read the consumers configuration " + file + ": " + why + ".");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw RunbookException.configuration("The consumers configuration " + file + " is empty.");
        }
        return parse(root);
    }

    public static ConsumersConfig parse(JsonNode root) {
        ConfigNode top = new ConfigNode(root, "").allowOnly("kafka", "verification", "lag", "controllers");
        KafkaCluster kafka = kafka(top.object("kafka"));

        Verification verification = Verification.defaults();
        ConfigNode v = top.optionalObject("verification");
        if (v != null) {
            v.allowOnly("quietWindow", "pollInterval", "pauseTimeout", "resumeTimeout");
            verification = new Verification(v.duration("quietWindow", verification.quietWindow()),
                    v.duration("pollInterval", verification.pollInterval()), v.duration("pauseTimeout", verification.pauseTimeout()),
                    v.duration("resumeTimeout", verification.resumeTimeout()));
            if (verification.quietWindow().compareTo(verification.pauseTimeout()) >= 0) {
                throw RunbookException.configuration("verification.quietWindow (" + verification.quietWindow()
                        + ") must be shorter than verification.pauseTimeout (" + verification.pauseTimeout() + ").");
            }
        }

        LagDefaults lag = LagDefaults.defaults();
        ConfigNode l = top.optionalObject("lag");
        if (l != null) {
            l.allowOnly("samples", "interval", "deadline", "maxLag");
            int samples = lag.samples();
            if (l.has("samples")) {
                JsonNode s = l.raw().get("samples");
                if (!s.canConvertToInt() || s.asInt() < 2) {
                    throw RunbookException.configuration("lag.samples must be a whole number of at least 2, got '" + s.asText() + "'.");
                }
                samples = s.asInt();
            }
            Long maxLag = null;
            if (l.has("maxLag")) {
                JsonNode m = l.raw().get("maxLag");
                if (!m.canConvertToLong() || m.asLong() < 0) {
                    throw RunbookException.configuration("lag.maxLag must be a whole number of 0 or more, got '" + m.asText() + "'.");
                }
                maxLag = m.asLong();
            }
            lag = new LagDefaults(samples, l.duration("interval", lag.interval()), l.duration("deadline", lag.deadline()), maxLag);
        }

        List<ControllerDefinition> controllers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> groupOwners = new HashMap<>();
        for (ConfigNode c : top.objectList("controllers")) {
            String name = c.string("name");
            if (!names.add(name)) {
                throw RunbookException.configuration(c.path() + ".name '" + name + "' is used twice: controller names must be unique.");
            }
            String type = c.oneOf("type", null, "http", "kafka-connect", "kubernetes", "manual");
            ControllerDefinition definition = switch (type) {
                case "http" -> HttpController.parse(c, name, c.stringList("groups", true));
                case "kafka-connect" -> KafkaConnectController.parse(c, name);
                case "kubernetes" -> KubernetesController.parse(c, name);
                default -> ManualController.parse(c, name, c.stringList("groups", true));
            };
            for (String group : definition.groups()) {
                String owner = groupOwners.putIfAbsent(group, name);
                if (owner != null) {
                    throw RunbookException.configuration(c.path() + ".groups: group '" + group + "' is already controlled by '"
                            + owner + "': each group has one controller.");
                }
            }
            controllers.add(definition);
        }
        return new ConsumersConfig(kafka, verification, lag, List.copyOf(controllers), root);
    }

    private static KafkaCluster kafka(ConfigNode k) {
        k.allowOnly("bootstrapServers", "security", "requestTimeout");
        String bootstrap = k.string("bootstrapServers");
        String protocol = "PLAINTEXT";
        String mechanism = null;
        String username = null;
        io.migrationrunbook.core.SecretRef password = null;
        String truststorePath = null;
        String truststoreType = null;
        io.migrationrunbook.core.SecretRef truststorePassword = null;
        ConfigNode security = k.optionalObject("security");
        if (security != null) {
            security.allowOnly("protocol", "sasl", "truststore");
            protocol = security.oneOf("protocol", "PLAINTEXT", "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
            ConfigNode sasl = security.optionalObject("sasl");
            if (sasl != null) {
                sasl.allowOnly("mechanism", "username", "password");
                mechanism = sasl.oneOf("mechanism", null, "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
                username = sasl.string("username");
                password = sasl.secret("password");
            }
            ConfigNode truststore = security.optionalObject("truststore");
            if (truststore != null) {
                truststore.allowOnly("path", "type", "password");
                truststorePath = truststore.string("path");
                truststoreType = truststore.oneOf("type", "PKCS12", "PKCS12", "JKS", "PEM");
                truststorePassword = truststore.secret("password");
            }
        }
        KafkaCluster cluster = new KafkaCluster(bootstrap, protocol, mechanism, username, password, truststorePath, truststoreType,
                truststorePassword, k.duration("requestTimeout", KafkaCluster.DEFAULT_REQUEST_TIMEOUT));
        cluster.validate("kafka");
        return cluster;
    }

    /** Every group of every controller, in configuration order. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        controllers.forEach(c -> groups.addAll(c.groups()));
        return groups;
    }

    /** Builds the live controllers, reading their secrets: call before any side effect. */
    public List<ConsumerController> createControllers(HumanGate gate) {
        List<ConsumerController> live = new ArrayList<>();
        for (ControllerDefinition definition : controllers) {
            live.add(definition.create(gate));
        }
        return live;
    }
}
