package io.migrationrunbook.notify;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends notifications to webhooks. A failure to notify never fails the migration: it is reported through Progress and
 * in the returned deliveries, and the run goes on.
 */
public final class Notifier {

    /** One attempt to tell one webhook. */
    public record Delivery(String webhook, String host, RunEvent event, boolean delivered, int httpStatus, String error) {
    }

    private final List<Webhook> webhooks;
    private final HttpClient http;
    private final Progress progress;
    private final List<Delivery> deliveries = new ArrayList<>();

    public Notifier(List<Webhook> webhooks, Progress progress) {
        this.webhooks = List.copyOf(webhooks);
        this.progress = progress;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public synchronized List<Delivery> send(Notification notification) {
        List<Delivery> sent = new ArrayList<>();
        for (Webhook hook : webhooks) {
            if (!hook.events().contains(notification.event())) {
                continue;
            }
            Delivery d = deliver(hook, notification);
            sent.add(d);
            deliveries.add(d);
            if (!d.delivered()) {
                progress.report("⚠ Could not notify %s (%s) of '%s': %s — the run continues.", hook.name(), hook.host(),
                        notification.event(), d.error());
            }
        }
        return sent;
    }

    private Delivery deliver(Webhook hook, Notification notification) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url().reveal()))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(hook.format().payload(notification))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean ok = response.statusCode() / 100 == 2;
            return new Delivery(hook.name(), hook.host(), notification.event(), ok, response.statusCode(),
                    ok ? null : "HTTP " + response.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery(hook.name(), hook.host(), notification.event(), false, 0, "interrupted");
        } catch (Exception e) {
            // the exception text may quote the URL, which holds the webhook's token: keep only the type
            return new Delivery(hook.name(), hook.host(), notification.event(), false, 0, e.getClass().getSimpleName());
        }
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }
}
