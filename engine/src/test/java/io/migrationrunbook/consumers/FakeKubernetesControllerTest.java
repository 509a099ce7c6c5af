package io.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.kafka.TestConsumer;
import io.migrationrunbook.kafka.TestProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code kubernetes} controller against a fake of the Kubernetes API server (a JDK HTTPS server with a certificate
 * generated for the test, trusted through {@code caCert}): the Deployment's {@code scale} subresource and its status.
 * Each "pod" is a real consumer loop in the group on the real broker, so scaling to 0 empties the group and the pause
 * is verified from Kafka; scaling up starts consumers again, which become ready after a short start-up.
 */
@ExtendWith(KafkaExtension.class)
class FakeKubernetesControllerTest {

    static final String TOKEN = "k8s-sa-token-s3cret";
    static final String PASSWORD = "changeit";

    @TempDir
    static Path tls;
    static Path keystore;
    static Path caPem;

    /** A self-signed certificate for localhost made with the JDK's keytool: the "cluster CA" the controller must trust. */
    @BeforeAll
    static void generateCertificate() throws Exception {
        keystore = tls.resolve("api.p12");
        caPem = tls.resolve("ca.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        run(keytool, "-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", caPem.toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** Speaks the Deployment and its scale subresource for pay/ingest; requires the bearer token. */
    static final class FakeKubernetes implements AutoCloseable {
        record Pod(TestConsumer consumer, long startedNanos) {
        }

        final HttpsServer server;
        final String bootstrap;
        final String group;
        final String topic;
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Pod> pods = new CopyOnWriteArrayList<>();
        final AtomicLong consumedByGonePods = new AtomicLong();
        final AtomicInteger spec;
        final ScheduledExecutorService controllerManager = Executors.newSingleThreadScheduledExecutor();
        /** An HPA or KEDA that puts the replicas back as soon as something scales the Deployment to 0. */
        volatile boolean autoscaler;

        FakeKubernetes(String bootstrap, String group, String topic, int replicas) throws Exception {
            this.bootstrap = bootstrap;
            this.group = group;
            this.topic = topic;
            this.spec = new AtomicInteger(replicas);
            server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(keystore.toFile())) {
                store.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/apis/", this::handle);
            server.start();
            // like the Deployment controller: one pod started or stopped per tick until status matches spec
            controllerManager.scheduleWithFixedDelay(this::reconcile, 50, 50, TimeUnit.MILLISECONDS);
            await(() -> pods.size() == replicas, "the initial pods");
        }

        String url() {
            return "https://localhost:" + server.getAddress().getPort();
        }

        private void reconcile() {
            int desired = spec.get();
            if (pods.size() < desired) {
                pods.add(new Pod(new TestConsumer(bootstrap, group, topic), System.nanoTime()));
            } else if (pods.size() > desired) {
                Pod pod = pods.remove(pods.size() - 1);
                pod.consumer().close();
                consumedByGonePods.addAndGet(pod.consumer().consumed());
            }
        }

        int ready() {
            long now = System.nanoTime();
            return (int) pods.stream().filter(p -> now - p.startedNanos() > TimeUnit.MILLISECONDS.toNanos(300)).count();
        }

        long consumed() {
            return consumedByGonePods.get() + pods.stream().mapToLong(p -> p.consumer().consumed()).sum();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            calls.add(method + " " + path + (body.isEmpty() ? "" : " " + contentType + " " + body));
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}");
                return;
            }
            String deployment = "/apis/apps/v1/namespaces/pay/deployments/ingest";
            if (path.equals(deployment + "/scale") && method.equals("PATCH")) {
                if (!"application/merge-patch+json".equals(contentType)) {
                    answer(exchange, 415, "{\"kind\":\"Status\",\"code\":415,\"message\":\"unsupported media type\"}");
                    return;
                }
                JsonNode replicas = Json.mapper().readTree(body).at("/spec/replicas");
                spec.set(replicas.asInt());
                answer(exchange, 200, scale());
                if (autoscaler && replicas.asInt() == 0) {
                    spec.set(5);
                }
            } else if (path.equals(deployment + "/scale") && method.equals("GET")) {
                answer(exchange, 200, scale());
            } else if (path.equals(deployment) && method.equals("GET")) {
                int ready = ready();
                answer(exchange, 200, """
                        {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"ingest","namespace":"pay"},
                         "spec":{"replicas":%d},"status":{"replicas":%d%s}}"""
                        .formatted(spec.get(), pods.size(), ready == 0 ? "" : ",\"readyReplicas\":" + ready));
            } else {
                answer(exchange, 404, "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
            }
        }

        /** autoscaling/v1 Scale: spec.replicas is omitted when 0, as the API server does. */
        private String scale() {
            int desired = spec.get();
            return """
                    {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"ingest","namespace":"pay"},
                     "spec":{%s},"status":{"replicas":%d,"selector":"app=ingest"}}"""
                    .formatted(desired == 0 ? "" : "\"replicas\":" + desired, pods.size());
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
            controllerManager.shutdownNow();
            for (Pod pod : new ArrayList<>(pods)) {
                pod.consumer().close();
            }
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static Path config(Path dir, String bootstrap, FakeKubernetes api, String group, String extra) throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        Path file = dir.resolve("consumers.yaml");
        Files.writeString(file, """
                kafka: {bootstrapServers: %s}
                verification: {quietWindow: 1s, pollInterval: 100ms, pauseTimeout: 30s, resumeTimeout: 30s}
                controllers:
                  - name: ingest
                    type: kubernetes
                    apiServer: %s
                    namespace: pay
                    workload: ingest
                    groups: [%s]
                    token: {file: %s}
                    caCert: %s
                    rolloutTimeout: 60s
                    pollInterval: 100ms
                %s""".formatted(bootstrap, api.url(), group, token, caPem, extra));
        return file;
    }

    @Test
    void pauseRecordsTheReplicasScalesToZeroAndResumeRestoresThemFromTheStateAlone(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String topic = "k8s-orders";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 2);
        try (FakeKubernetes api = new FakeKubernetes(kafka.bootstrapServers(), "ingest", topic, 5);
             TestProducer producer = new TestProducer(kafka.bootstrapServers(), topic)) {
            producer.send(20);
            await(() -> api.consumed() >= 20, "the pods to consume");
            producer.stream(50);
            Path run = dir.resolve("run");

            PauseResult paused = PauseConsumers.with(ConsumersConfig.read(config(dir, kafka.bootstrapServers(), api, "ingest", "")))
                    .stateDir(run).progress(io.migrationrunbook.core.Progress.to(System.out)).execute();

            assertThat(paused.passed()).as(paused.reason()).isTrue();
            assertThat(api.spec.get()).isZero();
            assertThat(api.pods).isEmpty();
            assertThat(paused.groups().get(0).state()).isEqualTo("EMPTY");
            assertThat(paused.groups().get(0).controllerStatus()).isEqualTo("PAUSED");
            assertThat(paused.groups().get(0).controllerDetail()).isEqualTo("spec.replicas 0, status.replicas 0");
            assertThat(PauseState.load(run).controllers().get(0).replicasAtPause()).isEqualTo(5);
            assertThat(api.calls).contains("GET /apis/apps/v1/namespaces/pay/deployments/ingest/scale",
                    "PATCH /apis/apps/v1/namespaces/pay/deployments/ingest/scale application/merge-patch+json {\"spec\":{\"replicas\":0}}");
            long consumedWhilePaused = api.consumed();

            // a later process: the controller is rebuilt from the state's configuration; the count comes from the state
            ResumeResult resumed = ResumeConsumers.from(run).progress(io.migrationrunbook.core.Progress.to(System.out)).execute();

            assertThat(resumed.passed()).as(resumed.reason()).isTrue();
            assertThat(api.spec.get()).isEqualTo(5);
            assertThat(api.ready()).isEqualTo(5);
            assertThat(api.calls).contains(
                    "PATCH /apis/apps/v1/namespaces/pay/deployments/ingest/scale application/merge-patch+json {\"spec\":{\"replicas\":5}}",
                    "GET /apis/apps/v1/namespaces/pay/deployments/ingest");
            await(() -> api.consumed() > consumedWhilePaused, "consumption to restart");
            String state = Files.readString(PauseState.file(run));
            assertThat(state).doesNotContain(TOKEN).contains("\"replicasAtPause\" : 5");
        }
    }

    @Test
    void anAutoscalerThatScalesBackUpFailsThePauseWithTheHintAndTheReplicasAreRestored(KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String topic = "k8s-autoscaled";
        TestProducer.createTopic(kafka.bootstrapServers(), topic, 2);
        try (FakeKubernetes api = new FakeKubernetes(kafka.bootstrapServers(), "autoscaled", topic, 5)) {
            api.autoscaler = true;
            Path run = dir.resolve("run");
            ConsumersConfig config = ConsumersConfig.read(config(dir, kafka.bootstrapServers(), api, "autoscaled", ""));

            assertThatThrownBy(() -> PauseConsumers.with(config).stateDir(run).execute())
                    .isInstanceOf(RunbookException.class)
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CHECK_FAILED))
                    .hasMessageContaining("deployment pay/ingest (controller 'ingest') was scaled back up to 5 replicas")
                    .hasMessageContaining("autoscaling.keda.sh/paused-replicas")
                    .hasMessageContaining("were resumed.")
                    .hasMessageNotContaining(TOKEN);

            assertThat(PauseState.load(run).status()).isEqualTo(PauseState.PAUSE_FAILED);
            assertThat(api.spec.get()).isEqualTo(5);
            await(() -> api.ready() == 5, "the pods to be back");
        }
    }

    @Test
    void badConfigurationIsRefusedBeforeAnyRequest(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        try (FakeKubernetes api = new FakeKubernetes(kafka.bootstrapServers(), "unused", "unused", 0)) {
            Path base = config(dir, kafka.bootstrapServers(), api, "g", "");
            String good = Files.readString(base);
            assertRefused(dir, good.replace("    namespace: pay\n", ""), "controllers[0].namespace is missing");
            assertRefused(dir, good.replace("workload: ingest", "workload: ../../secrets/x"), "controllers[0].workload must be a Kubernetes name");
            assertRefused(dir, good.replace("    workload: ingest", "    kind: Job\n    workload: ingest"),
                    "controllers[0].kind must be one of [Deployment, StatefulSet], got 'Job'");
            assertRefused(dir, good.replace("    groups", "    replica: 3\n    groups"), "controllers[0].replica is not a known key");
            assertRefused(dir, good.replace("token: {file: " + dir.resolve("token"), "token: {file: " + dir.resolve("no-token")),
                    "Cannot read the secret file " + dir.resolve("no-token"));
            assertRefused(dir, good.replace("caCert: " + caPem, "caCert: " + dir.resolve("token")), "is not a PEM certificate");
            assertThat(api.calls).isEmpty();

            // without the CA the API server's certificate is not trusted: an environment error, never a silent fallback
            ConsumersConfig untrusted = ConsumersConfig.parse(Json.yaml().readTree(good.replace("    caCert: " + caPem + "\n", "")));
            assertThatThrownBy(() -> untrusted.createControllers(HumanGate.refuseAll()).get(0).pause())
                    .isInstanceOf(RunbookException.class)
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                    .hasMessageContaining("SSLHandshakeException");
        }
    }

    @Test
    void aWorkloadAlreadyAtZeroIsRecordedAsZeroAndNotResumedToZeroSilently(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        try (FakeKubernetes api = new FakeKubernetes(kafka.bootstrapServers(), "zero", "zero", 0)) {
            ConsumersConfig config = ConsumersConfig.read(config(dir, kafka.bootstrapServers(), api, "zero", ""));
            List<Integer> remembered = new ArrayList<>();
            config.createControllers(HumanGate.refuseAll()).get(0).pause(remembered::add);
            assertThat(remembered).containsExactly(0);
            assertThat(api.calls).noneMatch(c -> c.startsWith("PATCH"));

            ConsumerController later = config.createControllers(HumanGate.refuseAll()).get(0);
            later.restore(0);
            assertThatThrownBy(later::resume).isInstanceOf(RunbookException.class)
                    .hasMessageContaining("deployment pay/ingest had 0 replicas at pause time, so there is no count to restore")
                    .hasMessageContaining("set controllers[].replicas");

            ConsumersConfig explicit = ConsumersConfig.read(config(dir, kafka.bootstrapServers(), api, "zero", "    replicas: 2\n"));
            ConsumerController withCount = explicit.createControllers(HumanGate.refuseAll()).get(0);
            withCount.restore(0);
            withCount.resume();
            assertThat(api.spec.get()).isEqualTo(2);
            assertThat(api.ready()).isGreaterThanOrEqualTo(2);
        }
    }

    private static void assertRefused(Path dir, String yaml, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
        assertThatThrownBy(() -> ConsumersConfig.read(file).createControllers(HumanGate.refuseAll()))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining(message);
    }
}
