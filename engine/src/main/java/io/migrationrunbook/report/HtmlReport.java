package io.migrationrunbook.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link RunReport} as one self-contained HTML page (inline CSS and SVG, no external assets): the steps on
 * a time axis with the pause window highlighted, the lag drain chart, every step's details, approvals and what to do
 * next.
 */
public final class HtmlReport {

    private static final int CHART_WIDTH = 900;
    private static final int LABEL_WIDTH = 170;
    private static final int ROW_HEIGHT = 22;

    private HtmlReport() {
    }

    public static String render(RunReport report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(escape(report.getTitle())).append(" — ").append(escape(report.getStatus())).append("</title>")
                .append("<style>").append(CSS).append("</style></head><body>\n");
        header(html, report);
        nextActions(html, report);
        timeline(html, report);
        lagChart(html, report);
        events(html, report);
        approvals(html, report);
        steps(html, report);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void header(StringBuilder html, RunReport report) {
        String status = report.getStatus();
        html.append("<header><h1>").append(escape(report.getTitle())).append("</h1>")
                .append("<p class=\"status ").append(status.toLowerCase()).append("\" id=\"status\">").append(escape(status)).append("</p>")
                .append("<table class=\"facts\">");
        row(html, "Run", report.getRunId());
        row(html, "Started", String.valueOf(report.getStartedAt()));
        row(html, "Finished", String.valueOf(report.getFinishedAt()));
        row(html, "Duration", report.getDurationMs() == null ? "running" : formatMs(report.getDurationMs()));
        row(html, "Pause window", report.getPause() == null ? "no pause needed (0 ms)"
                : formatMs(report.getPauseWindowMs()) + (report.getPause().stillPaused() ? " — CONSUMERS STILL PAUSED" : ""));
        for (Map.Entry<String, Object> fact : report.getFacts().entrySet()) {
            row(html, fact.getKey(), String.valueOf(fact.getValue()));
        }
        html.append("</table></header>\n");
    }

    private static void nextActions(StringBuilder html, RunReport report) {
        if (report.getNextActions().isEmpty()) {
            return;
        }
        html.append("<section class=\"next\" id=\"next-actions\"><h2>What to do now</h2><ol>");
        for (String action : report.getNextActions()) {
            html.append("<li>").append(escape(action)).append("</li>");
        }
        html.append("</ol></section>\n");
    }

    private static void timeline(StringBuilder html, RunReport report) {
        List<StepRecord> steps = report.getSteps();
        html.append("<section><h2>Timeline</h2>");
        if (steps.isEmpty()) {
            html.append("<p>No steps ran.</p></section>\n");
            return;
        }
        Instant start = report.getStartedAt();
        Instant end = report.getFinishedAt() != null ? report.getFinishedAt() : steps.get(steps.size() - 1).finishedAt();
        for (StepRecord s : steps) {
            if (s.finishedAt().isAfter(end)) {
                end = s.finishedAt();
            }
        }
        double spanMs = Math.max(1, Duration.between(start, end).toMillis());
        double scale = (CHART_WIDTH - LABEL_WIDTH - 10) / spanMs;
        int height = steps.size() * ROW_HEIGHT + 30;
        html.append("<svg id=\"timeline\" width=\"").append(CHART_WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"step timeline\">");
        RunReport.PauseWindow pause = report.getPause();
        if (pause != null) {
            // a pause taken over from an earlier run began before this run: drawn from the run's start, the title says when
            boolean earlier = pause.requestedAt().isBefore(start);
            long beforeRun = earlier ? Duration.between(pause.requestedAt(), start).toMillis() : 0;
            double x = LABEL_WIDTH + (earlier ? 0 : Duration.between(start, pause.requestedAt()).toMillis() * scale);
            double w = Math.max(2, (pause.durationMs() - beforeRun) * scale);
            html.append("<rect class=\"pause-window\" x=\"").append(fmt(x)).append("\" y=\"0\" width=\"").append(fmt(w))
                    .append("\" height=\"").append(height - 20).append("\"><title>pause window ")
                    .append(formatMs(pause.durationMs()))
                    .append(earlier ? escape(" (paused at " + pause.requestedAt() + ", before this run)") : "").append("</title></rect>");
        }
        int y = 4;
        for (StepRecord s : steps) {
            double x = LABEL_WIDTH + Duration.between(start, s.startedAt()).toMillis() * scale;
            double w = Math.max(2, s.durationMs() * scale);
            html.append("<text x=\"4\" y=\"").append(y + 14).append("\">").append(escape(s.name())).append("</text>")
                    .append("<rect class=\"step ").append(s.status().name().toLowerCase()).append("\" x=\"").append(fmt(x))
                    .append("\" y=\"").append(y).append("\" width=\"").append(fmt(w)).append("\" height=\"").append(ROW_HEIGHT - 6)
                    .append("\"><title>").append(escape(s.name())).append(": ").append(s.status()).append(", ")
                    .append(formatMs(s.durationMs())).append("</title></rect>");
            y += ROW_HEIGHT;
        }
        html.append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(height - 4).append("\">0 s</text>")
                .append("<text x=\"").append(CHART_WIDTH - 60).append("\" y=\"").append(height - 4).append("\">")
                .append(formatMs((long) spanMs)).append("</text></svg>");
        html.append("<p class=\"legend\"><span class=\"sw passed\"></span>passed <span class=\"sw failed\"></span>failed "
                + "<span class=\"sw skipped\"></span>skipped <span class=\"sw pause-window\"></span>consumers paused</p></section>\n");
    }

    private static void lagChart(StringBuilder html, RunReport report) {
        List<RunReport.LagSample> samples = report.getLagSamples();
        if (samples.size() < 2) {
            return;
        }
        Instant t0 = samples.get(0).at();
        double spanMs = Math.max(1, Duration.between(t0, samples.get(samples.size() - 1).at()).toMillis());
        long maxLag = Math.max(1, samples.stream().mapToLong(RunReport.LagSample::totalLag).max().orElse(1));
        int w = 600;
        int h = 160;
        StringBuilder points = new StringBuilder();
        for (RunReport.LagSample s : samples) {
            double x = 40 + Duration.between(t0, s.at()).toMillis() / spanMs * (w - 50);
            double y = 10 + (1 - (double) s.totalLag() / maxLag) * (h - 40);
            points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
        }
        html.append("<section><h2>Consumer lag drain</h2><svg id=\"lag-chart\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" role=\"img\" aria-label=\"consumer lag over time\"><polyline class=\"lag\" points=\"")
                .append(points.toString().trim()).append("\"/><text x=\"2\" y=\"16\">").append(maxLag).append("</text>")
                .append("<text x=\"2\" y=\"").append(h - 28).append("\">0</text><text x=\"40\" y=\"").append(h - 8)
                .append("\">0 s</text><text x=\"").append(w - 60).append("\" y=\"").append(h - 8).append("\">")
                .append(formatMs((long) spanMs)).append("</text></svg></section>\n");
    }

    private static void events(StringBuilder html, RunReport report) {
        Map<String, Object> events = report.getEvents();
        if (events == null) {
            return;
        }
        html.append("<section><h2>Events</h2><table class=\"facts\" id=\"events\">");
        events.forEach((k, v) -> row(html, k, String.valueOf(v)));
        html.append("</table></section>\n");
    }

    private static void approvals(StringBuilder html, RunReport report) {
        html.append("<section><h2>Approvals</h2>");
        if (report.getApprovals().isEmpty()) {
            html.append("<p>None recorded.</p></section>\n");
            return;
        }
        html.append("<table id=\"approvals\"><tr><th>gate</th><th>approver</th><th>when</th><th>decision</th></tr>");
        for (Approval a : report.getApprovals()) {
            html.append("<tr><td>").append(escape(a.gate())).append("</td><td>").append(escape(a.approver())).append("</td><td>")
                    .append(a.at()).append("</td><td>").append(escape(a.decision())).append("</td></tr>");
        }
        html.append("</table></section>\n");
    }

    private static void steps(StringBuilder html, RunReport report) {
        html.append("<section><h2>Steps</h2><table id=\"steps\"><tr><th>step</th><th>status</th><th>started</th><th>duration</th><th>note</th></tr>");
        for (StepRecord s : report.getSteps()) {
            html.append("<tr class=\"").append(s.status().name().toLowerCase()).append("\"><td>").append(escape(s.name()))
                    .append("</td><td>").append(s.status()).append("</td><td>").append(s.startedAt()).append("</td><td>")
                    .append(formatMs(s.durationMs())).append("</td><td>").append(escape(s.reason() == null ? "" : s.reason()))
                    .append("</td></tr>");
        }
        html.append("</table>");
        for (StepRecord s : report.getSteps()) {
            if (s.details() == null) {
                continue;
            }
            html.append("<details class=\"step-details\" id=\"details-").append(escape(s.name())).append("\"")
                    .append(s.status() == StepStatus.FAILED ? " open" : "").append("><summary>").append(escape(s.name()))
                    .append(" — details</summary>");
            node(html, Json.mapper().valueToTree(s.details()), 0);
            html.append("</details>");
        }
        html.append("</section>\n");
    }

    /** Renders any JSON value: objects as key/value tables, arrays of objects as tables, scalars as text. */
    private static void node(StringBuilder html, JsonNode node, int depth) {
        if (node == null || node.isNull()) {
            html.append("—");
        } else if (node.isValueNode()) {
            html.append(escape(node.asText()));
        } else if (depth > 6) {
            html.append("<code>").append(escape(node.toString())).append("</code>");
        } else if (node.isObject()) {
            html.append("<table class=\"kv\">");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                html.append("<tr><th>").append(escape(f.getKey())).append("</th><td>");
                node(html, f.getValue(), depth + 1);
                html.append("</td></tr>");
            }
            html.append("</table>");
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                html.append("(none)");
                return;
            }
            boolean allObjects = true;
            Set<String> columns = new LinkedHashSet<>();
            for (JsonNode item : node) {
                if (!item.isObject()) {
                    allObjects = false;
                    break;
                }
                item.fieldNames().forEachRemaining(columns::add);
            }
            if (!allObjects) {
                List<String> parts = new ArrayList<>();
                for (JsonNode item : node) {
                    parts.add(item.isValueNode() ? item.asText() : item.toString());
                }
                html.append(escape(String.join(", ", parts)));
                return;
            }
            html.append("<table class=\"grid\"><tr>");
            columns.forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
            html.append("</tr>");
            int shown = 0;
            for (JsonNode item : node) {
                if (++shown > 200) {
                    html.append("<tr><td colspan=\"").append(columns.size()).append("\">… ").append(node.size() - 200)
                            .append(" more in report.json</td></tr>");
                    break;
                }
                html.append("<tr>");
                for (String c : columns) {
                    html.append("<td>");
                    node(html, item.get(c), depth + 1);
                    html.append("</td>");
                }
                html.append("</tr>");
            }
            html.append("</table>");
        }
    }

    private static void row(StringBuilder html, String key, String value) {
        html.append("<tr><th>").append(escape(key)).append("</th><td>").append(escape(value)).append("</td></tr>");
    }

    static String formatMs(long ms) {
        return io.migrationrunbook.core.Progress.format(Duration.ofMillis(ms));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d2329;max-width:1100px}
            h1{margin:0 0 4px}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
            .status{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600}
            .status.succeeded{background:#dafbe1;color:#116329}.status.failed{background:#ffebe9;color:#a40e26}
            .status.running{background:#fff8c5;color:#7d4e00}
            table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top;font-size:13px}
            th{background:#f6f8fa}table.kv th{width:1%;white-space:nowrap}
            tr.failed td{background:#ffebe9}tr.skipped td{color:#57606a}
            .next{background:#fff8c5;border:1px solid #d4a72c;padding:8px 16px;border-radius:6px}
            svg text{font-size:12px;fill:#1d2329}rect.step.passed,.sw.passed{fill:#2da44e;background:#2da44e}
            rect.step.failed,.sw.failed{fill:#cf222e;background:#cf222e}rect.step.skipped,.sw.skipped{fill:#8c959f;background:#8c959f}
            rect.pause-window,.sw.pause-window{fill:#fff1c2;background:#fff1c2;stroke:#d4a72c}
            .sw{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle;border:1px solid #888}
            polyline.lag{fill:none;stroke:#0969da;stroke-width:2}details{margin:6px 0}summary{cursor:pointer;font-weight:600}
            """;
}
