package io.migrationrunbook.notify;

import java.util.List;
import java.util.Map;

/** The JSON body a chat webhook expects. */
public enum WebhookFormat {

    /** Slack incoming webhooks (and compatible: Mattermost, Rocket.Chat): {@code text} plus a colored attachment. */
    SLACK {
        @Override
        public Object payload(Notification n) {
            return Map.of(
                    "text", n.headline(),
                    "attachments", List.of(Map.of(
                            "color", n.event().color(),
                            "text", n.text(),
                            "fallback", n.text())));
        }
    },

    /** Microsoft Teams Workflows webhooks: a message carrying an Adaptive Card. */
    TEAMS {
        @Override
        public Object payload(Notification n) {
            List<Object> body = new java.util.ArrayList<>();
            body.add(Map.of("type", "TextBlock", "size", "Medium", "weight", "Bolder", "wrap", true, "text", n.headline(),
                    "color", n.event() == RunEvent.FAILED ? "Attention" : n.event() == RunEvent.SUCCEEDED ? "Good" : "Default"));
            if (n.detail() != null && !n.detail().isBlank()) {
                body.add(Map.of("type", "TextBlock", "wrap", true, "text", n.detail()));
            }
            if (n.reportLink() != null && !n.reportLink().isBlank()) {
                body.add(Map.of("type", "TextBlock", "wrap", true, "text", "Report: " + n.reportLink()));
            }
            return Map.of(
                    "type", "message",
                    "attachments", List.of(Map.of(
                            "contentType", "application/vnd.microsoft.card.adaptive",
                            "content", Map.of(
                                    "type", "AdaptiveCard",
                                    "version", "1.4",
                                    "body", body))));
        }
    };

    public abstract Object payload(Notification notification);
}
