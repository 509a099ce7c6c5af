package io.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.migrationrunbook.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code http} controller driving a Kubernetes Deployment's scale subresource (merge-patch replicas 0, then back)
 * and a KEDA ScaledObject's paused-replicas annotation, against a fake of those two API paths (JDK HTTP server):
 * the documented examples work as written.
 */
class FakeKubernetesScaleTest {

    HttpServer server;
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile int replicas = 3;
    final ObjectNode annotations = Json.mapper().createObjectNode();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/apis/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            calls.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
            String answer;
            if (path.endsWith("/deployments/ingest/scale")) {
                if (exchange.getRequestMethod().equals("PATCH")) {
                    replicas = Json.mapper().readTree(body).at("/spec/replicas").asInt();
                }
                answer = "{\"kind\":\"Scale\",\"spec\":{\"replicas\":" + replicas + "},\"status\":{\"replicas\":" + replicas + "}}";
            } else {
                if (exchange.getRequestMethod().equals("PATCH")) {
                    JsonNode patch = Json.mapper().readTree(body).at("/metadata/annotations");
                    patch.fields().forEachRemaining(f -> {
                        if (f.getValue().isNull()) {
                            annotations.remove(f.getKey());
                        } else {
                            annotations.set(f.getKey(), f.getValue());
                        }
                    });
                }
                answer = "{\"kind\":\"ScaledObject\",\"metadata\":{\"annotations\":" + annotations + "}}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    List<ConsumerController> controllers(Path dir) throws Exception {
        String api = "http://localhost:" + server.getAddress().getPort();
        Path token = Files.writeString(dir.resolve("sa-token"), "k8s-sa-token");
        String scale = api + "/apis/apps/v1/namespaces/pay/deployments/ingest/scale";
        String keda = api + "/apis/keda.sh/v1alpha1/namespaces/pay/scaledobjects/ingest";
        ConsumersConfig config = ConsumersConfig.parse(Json.yaml().readTree("""
                kafka: {bootstrapServers: localhost:9092}
                controllers:
                  - name: ingest-deployment
                    type: http
                    groups: [ingest]
                    auth: {type: bearer, token: {file: %s}}
                    pause:
                      method: PATCH
                      url: %s
                      headers: {Content-Type: application/merge-patch+json}
                      body: {spec: {replicas: 0}}
                    resume:
                      method: PATCH
                      url: %s
                      headers: {Content-Type: application/merge-patch+json}
                      body: {spec: {replicas: 3}}
                    status: {url: %s, pointer: /status/replicas, paused: "0"}
                  - name: ingest-keda
                    type: http
                    groups: [ingest-keda]
                    auth: {type: bearer, token: {file: %s}}
                    pause:
                      method: PATCH
                      url: %s
                      headers: {Content-Type: application/merge-patch+json}
                      body: {metadata: {annotations: {autoscaling.keda.sh/paused-replicas: "0"}}}
                    resume:
                      method: PATCH
                      url: %s
                      headers: {Content-Type: application/merge-patch+json}
                      body: {metadata: {annotations: {autoscaling.keda.sh/paused-replicas: null}}}
                    status: {url: %s, pointer: /metadata/annotations/autoscaling.keda.sh~1paused-replicas, paused: "0"}
                """.formatted(token, scale, scale, scale, token, keda, keda, keda)));
        return config.createControllers(HumanGate.refuseAll());
    }

    @Test
    void scalesTheDeploymentToZeroAndBack(@TempDir Path dir) throws Exception {
        ConsumerController deployment = controllers(dir).get(0);
        assertThat(deployment.status().state()).isEqualTo(ControllerStatus.State.RUNNING);
        deployment.pause();
        assertThat(replicas).isZero();
        assertThat(deployment.status()).isEqualTo(ControllerStatus.paused("/status/replicas = 0"));
        deployment.resume();
        assertThat(replicas).isEqualTo(3);
        assertThat(calls).anySatisfy(c -> assertThat(c).isEqualTo("PATCH /apis/apps/v1/namespaces/pay/deployments/ingest/scale "
                + "application/merge-patch+json Bearer k8s-sa-token {\"spec\":{\"replicas\":0}}"));
    }

    @Test
    void pausesAKedaScaledObjectThroughItsAnnotation(@TempDir Path dir) throws Exception {
        ConsumerController keda = controllers(dir).get(1);
        keda.pause();
        assertThat(annotations.get("autoscaling.keda.sh/paused-replicas").asText()).isEqualTo("0");
        assertThat(keda.status().state()).isEqualTo(ControllerStatus.State.PAUSED);
        keda.resume();
        assertThat(annotations.has("autoscaling.keda.sh/paused-replicas")).isFalse();
        assertThat(keda.status().state()).isEqualTo(ControllerStatus.State.UNKNOWN);
    }
}
