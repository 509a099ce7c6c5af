package io.migrationrunbook.notify;

/**
 * What to tell people.
 *
 * @param event      which moment of the run
 * @param runTitle   e.g. "Release 42 on prod"
 * @param detail     what happened: for FAILED, the step that failed and why
 * @param reportLink where the report is (a path or a Jenkins build URL), may be null
 */
public record Notification(RunEvent event, String runTitle, String detail, String reportLink) {

    public String headline() {
        return event.headline() + ": " + runTitle;
    }

    public String text() {
        StringBuilder text = new StringBuilder(headline());
        if (detail != null && !detail.isBlank()) {
            text.append('\n').append(detail);
        }
        if (reportLink != null && !reportLink.isBlank()) {
            text.append("\nReport: ").append(reportLink);
        }
        return text.toString();
    }
}
