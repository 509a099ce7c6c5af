package io.jenkins.plugins.migrationrunbook.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.migrationrunbook.config.ApiTarget;
import io.jenkins.plugins.migrationrunbook.steps.CapturingListener;
import io.jenkins.plugins.migrationrunbook.steps.FakeTargets;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.migrationrunbook.core.Secret;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a local HTTP server standing for the service's API (a fake API: the real one is the demo service). */
class SmokeTestApiStepTest {

    static final String TOKEN = "api-token-never-logged";

    @TempDir
    Path workspace;
    HttpServer server;
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakeApi() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String correlation = exchange.getRequestHeaders().getFirst("X-Correlation-ID");
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Correlation-ID", correlation);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    FakeTargets targets() {
        FakeTargets t = new FakeTargets();
        ApiTarget api = new ApiTarget("payments", "http://127.0.0.1:" + server.getAddress().getPort());
        api.setCredentialsId("payments-token");
        t.configuration.setApiTargets(List.of(api));
        t.texts.put("payments-token", Secret.of(TOKEN));
        return t;
    }

    @Test
    void runsTheChecksWithTheConfiguredBaseUrlAndTokenAndNamesFailedChecks() throws Exception {
        Files.writeString(workspace.resolve("checks.yaml"), """
                checks:
                  - name: health
                    path: /health
                    expectStatus: 200
                  - name: missing
                    path: /nope
                    expectStatus: 200
                """);
        SmokeTestApiStep step = new SmokeTestApiStep();
        step.setApi("payments");
        step.setChecks("checks.yaml");
        CapturingListener listener = new CapturingListener();

        assertThatThrownBy(() -> RunbookStep.runOnAgent("smokeTestApi", step.task(targets()), new FilePath(workspace.toFile()), listener))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("1 smoke check(s) failed: 'missing' (correlation id TEST:")
                .hasMessageNotContaining(TOKEN);
        assertThat(authorizations).contains("Bearer " + TOKEN);
        assertThat(listener.text()).doesNotContain(TOKEN);

        Files.writeString(workspace.resolve("checks.yaml"), "checks:\n  - name: health\n    path: /health\n");
        Map<String, Object> result = RunbookStep.runOnAgent("smokeTestApi", step.task(targets()), new FilePath(workspace.toFile()), listener);
        assertThat(result.get("passed")).isEqualTo(true);
        assertThat(result.get("correlationHeader")).isEqualTo("X-Correlation-ID");
    }

    @Test
    void requiresApiAndChecks() {
        SmokeTestApiStep step = new SmokeTestApiStep();
        assertThatThrownBy(() -> step.task(targets())).hasMessageContaining("No API target given");
        step.setApi("payments");
        assertThatThrownBy(() -> step.task(targets())).hasMessageContaining("No checks file given");
    }
}
