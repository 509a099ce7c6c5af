package io.migrationrunbook.notify;

/** The moments of a run the guide says to tell people about (DevOps, application owners, operations). */
public enum RunEvent {
    STARTED("Migration started", "#0969da"),
    WAITING_FOR_APPROVAL("Migration waiting for approval", "#d4a72c"),
    SUCCEEDED("Migration succeeded", "#2da44e"),
    FAILED("Migration FAILED", "#cf222e");

    private final String headline;
    private final String color;

    RunEvent(String headline, String color) {
        this.headline = headline;
        this.color = color;
    }

    public String headline() {
        return headline;
    }

    public String color() {
        return color;
    }
}
