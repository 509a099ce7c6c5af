package io.migrationrunbook.notify;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;

import java.net.URI;
import java.util.Set;

/**
 * A chat webhook. The URL is a {@link Secret}: Slack and Teams webhook URLs carry their token in the path, so only the
 * host is ever shown. {@code events} limits which moments are sent (all when empty).
 */
public record Webhook(String name, WebhookFormat format, Secret url, Set<RunEvent> events) {

    public Webhook {
        if (url == null) {
            throw RunbookException.configuration("Webhook '" + name + "' has no URL: set url_env or url_file in the plan.");
        }
        URI uri;
        try {
            uri = URI.create(url.reveal());
        } catch (IllegalArgumentException e) {
            throw RunbookException.configuration("Webhook '" + name + "' has a malformed URL (value not shown): " + e.getClass().getSimpleName());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
            throw RunbookException.configuration("Webhook '" + name + "' needs an http(s) URL with a host.");
        }
        events = events == null || events.isEmpty() ? Set.of(RunEvent.values()) : Set.copyOf(events);
    }

    /** The URL's host: all a log line may say about where a notification went. */
    public String host() {
        return URI.create(url.reveal()).getHost();
    }
}
