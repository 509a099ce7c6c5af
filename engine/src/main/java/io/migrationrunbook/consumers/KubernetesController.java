package io.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.SecretRef;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * {@code type: kubernetes}: scales a Deployment or StatefulSet to zero through the {@code scale} subresource and back to
 * the replica count <em>read at pause time</em> (recorded in the pause state, so {@code runbook resume} restores what was
 * there — 5 replicas, or what an HPA had set — not a configured guess). A consumer scaled to zero leaves its group
 * {@code EMPTY}, which the Kafka-side verification accepts with frozen offsets. An autoscaler that scales the workload
 * back up during the pause fails the pause with the hint to pause the autoscaler instead.
 */
public final class KubernetesController implements ConsumerController {

    /** The in-cluster service account files, used by default when present. */
    static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount/";
    static final String DEFAULT_API_SERVER = "https://kubernetes.default.svc";
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /**
     * @param replicas explicit count to restore when the pause recorded none or 0; null otherwise
     * @param token    null when no token is configured and there is no service account token (e.g. kubectl proxy)
     * @param caCert   PEM file of the API server's CA; null for the JVM's trust store
     */
    public record Definition(String name, List<String> groups, String apiServer, String namespace, String kind, String workload,
                             SecretRef token, String caCert, Integer replicas, Duration timeout, Duration rolloutTimeout,
                             Duration pollInterval) implements ControllerDefinition {
        @Override
        public String type() {
            return "kubernetes";
        }

        @Override
        public ConsumerController create(HumanGate gate) {
            SSLContext tls = caCert == null ? null : trusting(Path.of(caCert), "controllers." + name + ".caCert");
            HttpAuth auth = token == null ? null : new HttpAuth("bearer", null, token);
            return new KubernetesController(this, new HttpEndpoint(auth, Map.of(), timeout, "controllers." + name, tls));
        }

        /** {@code deployment pay/ingest}: how the workload is named in messages ({@code kubectl} style). */
        String what() {
            return kind.toLowerCase(java.util.Locale.ROOT) + " " + namespace + "/" + workload;
        }

        String resource() {
            return apiServer + "/apis/apps/v1/namespaces/" + namespace + "/" + (kind.equals("StatefulSet") ? "statefulsets" : "deployments")
                    + "/" + workload;
        }
    }

    static Definition parse(ConfigNode node, String name) {
        node.allowOnly("name", "type", "groups", "apiServer", "namespace", "kind", "workload", "token", "caCert", "replicas",
                "timeout", "rolloutTimeout", "pollInterval");
        List<String> groups = node.stringList("groups", true);
        String apiServer = node.string("apiServer", DEFAULT_API_SERVER).replaceAll("/+$", "");
        try {
            URI uri = URI.create(apiServer);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw node.error(node.path() + ".apiServer must be the API server's base URL such as " + DEFAULT_API_SERVER
                    + " (no path, no credentials), got '" + apiServer + "'.");
        }
        String namespace = dnsName(node, "namespace");
        String kind = node.oneOf("kind", "Deployment", "Deployment", "StatefulSet");
        String workload = dnsName(node, "workload");
        SecretRef token = node.secret("token");
        if (token == null && Files.isRegularFile(Path.of(SERVICE_ACCOUNT + "token"))) {
            token = SecretRef.file(SERVICE_ACCOUNT + "token");
        }
        String caCert = node.optionalString("caCert");
        if (caCert == null && Files.isRegularFile(Path.of(SERVICE_ACCOUNT + "ca.crt"))) {
            caCert = SERVICE_ACCOUNT + "ca.crt";
        }
        Integer replicas = null;
        if (node.has("replicas")) {
            JsonNode r = node.raw().get("replicas");
            if (!r.canConvertToInt() || r.asInt() < 1) {
                throw node.error(node.path() + ".replicas must be a whole number of at least 1 (the count a resume restores when the "
                        + "pause found none to record), got '" + r.asText() + "'.");
            }
            replicas = r.asInt();
        }
        return new Definition(name, groups, apiServer, namespace, kind, workload, token, caCert, replicas,
                node.duration("timeout", Duration.ofSeconds(10)), node.duration("rolloutTimeout", Duration.ofMinutes(5)),
                node.duration("pollInterval", Duration.ofMillis(500)));
    }

    private static String dnsName(ConfigNode node, String key) {
        String value = node.optionalString(key);
        if (value == null || value.isBlank()) {
            throw node.error(node.path() + "." + key + " is missing: name the " + (key.equals("namespace") ? "namespace"
                    : "Deployment or StatefulSet") + " of the consumers.");
        }
        if (!DNS_NAME.matcher(value).matches()) {
            throw node.error(node.path() + "." + key + " must be a Kubernetes name (lower case letters, digits, '-' and '.'), got '"
                    + value + "'.");
        }
        return value;
    }

    /** A TLS context trusting the certificates of a PEM file (the cluster CA), read now so a bad file fails before any call. */
    static SSLContext trusting(Path pem, String key) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw RunbookException.configuration(key + ": " + pem + " holds no PEM certificate: point it at the API server's CA "
                        + "(in a pod: " + SERVICE_ACCOUNT + "ca.crt).");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw RunbookException.configuration(key + ": cannot read " + pem + " (" + e.getClass().getSimpleName()
                    + "): give the PEM file of the API server's CA.");
        } catch (GeneralSecurityException e) {
            throw RunbookException.configuration(key + ": " + pem + " is not a PEM certificate (" + e.getMessage() + ").");
        }
    }

    /** What the scale subresource says: desired and current (non-terminated pods) replicas. */
    record Scale(int desired, int current) {
    }

    private final Definition definition;
    private final HttpEndpoint endpoint;
    /** The count read at pause time, or handed back from the pause state by {@link #restore(Integer)}. */
    private Integer replicasAtPause;
    /** This instance scaled to 0 and has not asked to scale up since: replicas above 0 now mean someone else scaled up. */
    private boolean pausing;

    KubernetesController(Definition definition, HttpEndpoint endpoint) {
        this.definition = definition;
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public String type() {
        return "kubernetes";
    }

    @Override
    public List<String> groups() {
        return definition.groups();
    }

    @Override
    public void pause() {
        pause(count -> { });
    }

    @Override
    public void pause(IntConsumer remember) {
        Scale before = scale();
        replicasAtPause = before.desired();
        remember.accept(before.desired());
        if (before.desired() > 0) {
            patchReplicas(0, "Scaling " + definition.what() + " to 0");
        }
        long deadline = System.nanoTime() + definition.rolloutTimeout().toNanos();
        while (true) {
            Scale now = scale();
            if (now.desired() > 0) {
                throw RunbookException.checkFailed(definition.what() + " (controller '" + name() + "') was scaled back up to "
                        + now.desired() + " replicas after the runbook set 0: " + autoscalerHint());
            }
            if (now.current() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw RunbookException.environment(definition.what() + " still has " + now.current() + " pods after "
                        + definition.rolloutTimeout().toSeconds() + " s of scaling to 0 (controller '" + name() + "'): check `kubectl -n "
                        + definition.namespace() + " get pods` (a stuck termination, a finalizer), or raise controllers[].rolloutTimeout.");
            }
            Observation.sleep(definition.pollInterval());
        }
    }

    @Override
    public void restore(Integer remembered) {
        if (remembered != null) {
            replicasAtPause = remembered;
        }
    }

    /** The recorded count, else the configured {@code replicas}, else null: nothing known to restore. */
    Integer target() {
        if (replicasAtPause != null && replicasAtPause > 0) {
            return replicasAtPause;
        }
        return definition.replicas();
    }

    @Override
    public void resume() {
        Integer target = target();
        if (target == null) {
            Scale now = scale();
            if (now.desired() > 0) {
                return; // never scaled down by this pause (or already restored by hand): nothing to undo
            }
            throw RunbookException.configuration(definition.what() + " had " + (replicasAtPause == null ? "no recorded" : "0")
                    + " replicas at pause time, so there is no count to restore (controller '" + name() + "'): set controllers[].replicas "
                    + "to the count to restore and resume with that configuration (`runbook resume --consumers FILE`), or scale it by hand.");
        }
        patchReplicas(target, "Scaling " + definition.what() + " back to " + target);
        long deadline = System.nanoTime() + definition.rolloutTimeout().toNanos();
        while (true) {
            int ready = readyReplicas();
            if (ready >= target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw RunbookException.environment(definition.what() + " has " + ready + " of " + target + " replicas ready after "
                        + definition.rolloutTimeout().toSeconds() + " s (controller '" + name() + "'; spec.replicas is set to " + target
                        + "): check `kubectl -n " + definition.namespace() + " rollout status " + definition.kind().toLowerCase(java.util.Locale.ROOT)
                        + "/" + definition.workload() + "`, then run the resume again.");
            }
            Observation.sleep(definition.pollInterval());
        }
    }

    @Override
    public ControllerStatus status() {
        try {
            Scale now = scale();
            String detail = "spec.replicas " + now.desired() + ", status.replicas " + now.current();
            if (now.desired() == 0 && now.current() == 0) {
                return ControllerStatus.paused(detail);
            }
            if (now.desired() > 0) {
                boolean fighting = replicasAtPause != null && replicasAtPause > 0 && pausing;
                return ControllerStatus.running(detail + (fighting ? " — scaled back up during the pause: " + autoscalerHint() : ""));
            }
            return ControllerStatus.unknown(detail + " (pods terminating)");
        } catch (RuntimeException e) {
            return ControllerStatus.unknown("scale subresource failed: " + e.getMessage());
        }
    }

    private String autoscalerHint() {
        return "an autoscaler (HorizontalPodAutoscaler or KEDA ScaledObject) manages it and undoes a scale to 0. Pause the autoscaler "
                + "instead: for KEDA the ScaledObject annotation autoscaling.keda.sh/paused-replicas: \"0\" (an http controller, see "
                + "docs/consumers.md); an HPA cannot scale to 0, so suspend or delete it for the window.";
    }

    private Scale scale() {
        HttpEndpoint.Response response = endpoint.expectSuccess("GET", definition.resource() + "/scale", null,
                "Reading the scale of " + definition.what() + " (controller '" + name() + "')");
        JsonNode scale = parse(response);
        JsonNode desired = scale.at("/spec/replicas");
        return new Scale(desired.isMissingNode() ? 0 : desired.asInt(), scale.at("/status/replicas").asInt(0));
    }

    /** The workload's own status: the scale subresource has no ready count. A missing field means 0 (the API omits zeros). */
    private int readyReplicas() {
        HttpEndpoint.Response response = endpoint.expectSuccess("GET", definition.resource(), null,
                "Reading the status of " + definition.what() + " (controller '" + name() + "')");
        return parse(response).at("/status/readyReplicas").asInt(0);
    }

    private void patchReplicas(int replicas, String purpose) {
        pausing = replicas == 0;
        endpoint.expectSuccess("PATCH", definition.resource() + "/scale", "{\"spec\":{\"replicas\":" + replicas + "}}",
                Map.of("Content-Type", "application/merge-patch+json"), purpose + " (controller '" + name() + "')");
    }

    private JsonNode parse(HttpEndpoint.Response response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw RunbookException.environment("The Kubernetes API answered something that is not JSON for " + definition.what() + ": "
                    + endpoint.snippet(response.body()));
        }
    }
}
