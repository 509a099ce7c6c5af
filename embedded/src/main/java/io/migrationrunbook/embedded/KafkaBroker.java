package io.migrationrunbook.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka 4.4 broker (KRaft: broker and controller in one) inside this JVM, on free loopback
 * ports. Both consumer group protocols ({@code classic} and {@code consumer}) work against it.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final Path logDir;
    private final int brokerPort;
    private final int saslPort;
    private final int sslPort;

    private KafkaBroker(KafkaRaftServer server, Path logDir, int brokerPort, int saslPort, int sslPort) {
        this.server = server;
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.saslPort = saslPort;
        this.sslPort = sslPort;
    }

    public static KafkaBroker start() {
        return start(Map.of());
    }

    /** Starts a broker; {@code overrides} are extra server properties. */
    public static KafkaBroker start(Map<String, String> overrides) {
        return start(overrides, null);
    }

    /**
     * Starts a broker with a second listener, SASL_PLAINTEXT on {@link #saslBootstrapServers()}, accepting PLAIN for
     * {@code plainUsers} (name to password) and SCRAM-SHA-256/512 for users created with the Admin API
     * ({@code alterUserScramCredentials}, e.g. over the PLAINTEXT listener). No authorizer: authenticated is enough.
     */
    public static KafkaBroker startWithSasl(Map<String, String> plainUsers) {
        return start(Map.of(), plainUsers, null, null);
    }

    /**
     * Starts a broker with a second listener, SSL on {@link #sslBootstrapServers()}, serving the key and certificate of
     * the PKCS12 {@code keystore} (its certificate must name localhost for clients' hostname verification).
     */
    public static KafkaBroker startWithSsl(Path keystore, String keystorePassword) {
        return start(Map.of(), null, keystore, keystorePassword);
    }

    private static KafkaBroker start(Map<String, String> overrides, Map<String, String> plainUsers) {
        return start(overrides, plainUsers, null, null);
    }

    /**
     * Another process can take a port between choosing it and the broker binding it, so a bind failure is retried
     * with fresh ports a few times before it is reported.
     */
    private static KafkaBroker start(Map<String, String> overrides, Map<String, String> plainUsers, Path keystore,
                                     String keystorePassword) {
        int attempts = 3;
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(overrides, plainUsers, keystore, keystorePassword);
            } catch (RuntimeException e) {
                if (attempt == attempts || !isPortTaken(e)) {
                    throw e;
                }
            }
        }
    }

    static boolean isPortTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static KafkaBroker startOnce(Map<String, String> overrides, Map<String, String> plainUsers, Path keystore,
                                         String keystorePassword) {
        try {
            Path logDir = Files.createTempDirectory("runbook-kafka");
            int[] ports = distinctFreePorts(4);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
            props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", logDir.toString());
            props.put("num.partitions", "1");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("group.consumer.heartbeat.interval.ms", "500");
            props.put("group.consumer.min.heartbeat.interval.ms", "500");
            props.put("auto.create.topics.enable", "true");
            int saslPort = 0;
            if (plainUsers != null) {
                saslPort = ports[2];
                props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",SASL_PLAINTEXT://localhost:" + saslPort
                        + ",CONTROLLER://localhost:" + controllerPort);
                props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort + ",SASL_PLAINTEXT://localhost:" + saslPort);
                props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
                StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                plainUsers.forEach((user, password) -> plain.append(" user_").append(user).append("=\"").append(password).append('"'));
                props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", plain.append(';').toString());
                String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
                props.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", scram);
                props.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram);
            }
            int sslPort = 0;
            if (keystore != null) {
                sslPort = ports[3];
                props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",SSL://localhost:" + sslPort
                        + ",CONTROLLER://localhost:" + controllerPort);
                props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort + ",SSL://localhost:" + sslPort);
                props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
                props.put("listener.name.ssl.ssl.keystore.location", keystore.toString());
                props.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
                props.put("listener.name.ssl.ssl.keystore.password", keystorePassword);
                props.put("listener.name.ssl.ssl.key.password", keystorePassword);
            }
            props.putAll(overrides);

            Path config = logDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(config)) {
                props.store(out, "runbook embedded broker");
            }
            ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
            int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                    new PrintStream(formatOutput, true, StandardCharsets.UTF_8));
            if (formatted != 0) {
                throw new IllegalStateException("Kafka storage format failed: " + formatOutput.toString(StandardCharsets.UTF_8));
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                try {
                    server.shutdown();
                    server.awaitShutdown();
                } catch (RuntimeException whileStopping) {
                    e.addSuppressed(whileStopping);
                }
                TemporaryDirectories.deleteQuietly(logDir);
                throw e;
            }
            KafkaBroker broker = new KafkaBroker(server, logDir, brokerPort, saslPort, sslPort);
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded Kafka broker", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // the broker is still starting
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("The embedded Kafka broker did not become ready within 60 s");
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public int port() {
        return brokerPort;
    }

    /** The SSL listener of a broker started with {@link #startWithSsl(Path, String)}. */
    public String sslBootstrapServers() {
        if (sslPort == 0) {
            throw new IllegalStateException("This broker has no SSL listener: start it with KafkaBroker.startWithSsl(keystore, password)");
        }
        return "localhost:" + sslPort;
    }

    /** The SASL_PLAINTEXT listener of a broker started with {@link #startWithSasl(Map)}. */
    public String saslBootstrapServers() {
        if (saslPort == 0) {
            throw new IllegalStateException("This broker has no SASL listener: start it with KafkaBroker.startWithSasl(users)");
        }
        return "localhost:" + saslPort;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        TemporaryDirectories.deleteQuietly(logDir);
    }

    /**
     * Ports the kernel hands out while every socket is still open, so they differ from one another (closing each
     * socket before asking for the next can yield the same port twice).
     */
    static int[] distinctFreePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
