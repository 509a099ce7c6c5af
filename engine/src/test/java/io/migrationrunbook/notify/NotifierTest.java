package io.migrationrunbook.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real HTTP: a local server receiving the webhook posts as Slack or Teams would. */
class NotifierTest {

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = exchange.getRequestURI().getPath().contains("broken") ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    @Test
    void sendsSlackAndTeamsPayloadsForTheEventsEachWebhookWants() throws Exception {
        Webhook slack = new Webhook("ops-slack", WebhookFormat.SLACK, Secret.of(url("/services/T000/B000/slack-token")), Set.of());
        Webhook teams = new Webhook("owners-teams", WebhookFormat.TEAMS, Secret.of(url("/workflows/teams-token")),
                Set.of(RunEvent.FAILED, RunEvent.SUCCEEDED));
        Notifier notifier = new Notifier(List.of(slack, teams), m -> { });

        notifier.send(new Notification(RunEvent.STARTED, "Release 42 on prod", null, null));
        assertThat(received).hasSize(1); // Teams does not want STARTED

        notifier.send(new Notification(RunEvent.FAILED, "Release 42 on prod", "flywayMigrate failed: V3__x.sql SQLSTATE 42P01",
                "runbook-demo/report.html"));
        assertThat(received).hasSize(3);
        JsonNode slackBody = Json.mapper().readTree(received.get(1));
        assertThat(slackBody.get("text").asText()).isEqualTo("Migration FAILED: Release 42 on prod");
        assertThat(slackBody.at("/attachments/0/text").asText()).contains("flywayMigrate failed").contains("report.html");
        JsonNode teamsBody = Json.mapper().readTree(received.get(2));
        assertThat(teamsBody.at("/attachments/0/contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(teamsBody.at("/attachments/0/content/body/0/text").asText()).contains("FAILED");
        assertThat(teamsBody.at("/attachments/0/content/body/1/text").asText()).contains("SQLSTATE 42P01");
        assertThat(notifier.deliveries()).allMatch(Notifier.Delivery::delivered);
    }

    @Test
    void aFailingWebhookNeverFailsTheRunAndItsTokenNeverShows() {
        List<String> log = new CopyOnWriteArrayList<>();
        Webhook broken = new Webhook("broken", WebhookFormat.SLACK, Secret.of(url("/broken/secret-token-123")), Set.of());
        Webhook unreachable = new Webhook("down", WebhookFormat.SLACK, Secret.of("http://localhost:1/secret-token-456"), Set.of());
        Notifier notifier = new Notifier(List.of(broken, unreachable), log::add);

        List<Notifier.Delivery> deliveries = notifier.send(new Notification(RunEvent.SUCCEEDED, "r", null, null));

        assertThat(deliveries).extracting(Notifier.Delivery::delivered).containsExactly(false, false);
        assertThat(deliveries.get(0).httpStatus()).isEqualTo(500);
        assertThat(log).hasSize(2).allSatisfy(line -> assertThat(line).contains("the run continues")
                .doesNotContain("secret-token"));
        assertThat(Json.write(deliveries)).doesNotContain("secret-token");
    }

    @Test
    void aWebhookWithoutUsableUrlIsAConfigurationError() {
        assertThatThrownBy(() -> new Webhook("x", WebhookFormat.SLACK, null, Set.of())).isInstanceOf(RunbookException.class)
                .hasMessageContaining("url_env");
        assertThatThrownBy(() -> new Webhook("x", WebhookFormat.SLACK, Secret.of("ftp://h/token-789"), Set.of()))
                .hasMessageContaining("http(s)").hasMessageNotContaining("token-789");
    }
}
