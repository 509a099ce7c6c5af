package io.migrationrunbook.lint;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.lint.rules.Rules;
import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.policy.MigrationClassification;
import io.migrationrunbook.policy.PolicyDecision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report in each output format of {@code runbook lint --format text|json|sarif|junit}. */
public final class LintOutput {

    public enum Format {
        TEXT, JSON, SARIF, JUNIT;

        public static Format parse(String text) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(text)) {
                    return f;
                }
            }
            throw RunbookException.configuration("Unknown format '" + text + "': use text, json, sarif or junit.");
        }
    }

    private LintOutput() {
    }

    public static String render(LintReport report, Format format) {
        return switch (format) {
            case TEXT -> text(report);
            case JSON -> Json.writePretty(report);
            case SARIF -> Json.writePretty(sarif(report));
            case JUNIT -> junit(report);
        };
    }

    /** Human text: findings grouped by file, then classification and the policy decision. */
    public static String text(LintReport report) {
        StringBuilder b = new StringBuilder();
        String currentFile = null;
        for (Finding f : report.findings()) {
            if (!f.file().equals(currentFile)) {
                currentFile = f.file();
                b.append(currentFile).append('\n');
            }
            b.append(String.format("  %d: %s [%s] %s%n", f.line(), f.severity().label(), f.rule(), f.message()));
            if (f.severity() != Severity.INFO) {
                b.append("      lock: ").append(f.lock()).append('\n');
                b.append("      safer: ").append(f.alternative()).append('\n');
            }
        }
        if (!report.suppressed().isEmpty()) {
            b.append("Suppressed:\n");
            for (SuppressedFinding s : report.suppressed()) {
                b.append(String.format("  %s:%d [%s] by %s%s%n", s.finding().file(), s.finding().line(), s.finding().rule(),
                        s.by(), s.reason() == null ? "" : ": " + s.reason()));
            }
        }
        b.append("Classification:\n");
        for (MigrationClassification m : report.classification().migrations()) {
            b.append(String.format("  %-50s %s%s%n", shortName(m.file()), classes(m.classes()),
                    m.consumersMustPause() ? "  (consumers must pause)" : ""));
        }
        PolicyDecision d = report.decision();
        b.append("Release: ").append(classes(d.classes())).append('\n');
        b.append("Consumers: ").append(d.consumersMustPause() ? "must be paused (" + d.pauseReasons().size()
                + " change(s) affect writes)" : "no pause needed (purely additive, non-locking)").append('\n');
        b.append("Policy: ").append(d.headline()).append('\n');
        LintReport.Summary s = report.summary();
        b.append(String.format("%d file(s), %d statement(s): %d error(s), %d warning(s), %d info, %d suppressed -> %s (fail on %s)",
                s.files(), s.statements(), s.errors(), s.warnings(), s.infos(), s.suppressed(), s.passed() ? "PASSED" : "FAILED",
                s.failOn().label()));
        return b.toString();
    }

    private static String classes(java.util.Set<ChangeClass> classes) {
        return classes.isEmpty() ? "no schema change" : classes.stream().map(ChangeClass::label).collect(Collectors.joining(", "));
    }

    private static String shortName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return slash < 0 ? file : file.substring(slash + 1);
    }

    /** SARIF 2.1.0 for code scanning: one run, the rule table, one result per finding. */
    public static Map<String, Object> sarif(LintReport report) {
        List<Map<String, Object>> rules = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (LintRule rule : Rules.all()) {
            index.put(rule.id(), rules.size());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", rule.id());
            r.put("name", camel(rule.id()));
            r.put("shortDescription", Map.of("text", rule.why()));
            r.put("fullDescription", Map.of("text", rule.why() + " Lock: " + rule.lock() + "."));
            r.put("help", Map.of("text", "Safer: " + rule.alternative() + " See docs/lint.md#" + rule.id() + "."));
            r.put("defaultConfiguration", Map.of("level", level(rule.severity()), "enabled", rule.enabledByDefault()));
            r.put("properties", Map.of("squawk", rule.squawk(), "atlas", rule.atlas(), "lock", rule.lock()));
            rules.add(r);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : report.findings()) {
            results.add(sarifResult(f, index, null));
        }
        // waived findings stay visible to code scanning as suppressed results, with the reason as justification
        for (SuppressedFinding s : report.suppressed()) {
            results.add(sarifResult(s.finding(), index, s));
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "runbook-lint");
        driver.put("version", "0.1.0");
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> sarif = new LinkedHashMap<>();
        sarif.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        sarif.put("version", "2.1.0");
        sarif.put("runs", List.of(run));
        return sarif;
    }

    private static Map<String, Object> sarifResult(Finding f, Map<String, Integer> index, SuppressedFinding suppressed) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ruleId", f.rule());
        if (index.containsKey(f.rule())) {
            result.put("ruleIndex", index.get(f.rule()));
        }
        result.put("level", level(f.severity()));
        result.put("message", Map.of("text", f.message() + " Safer: " + f.alternative()));
        result.put("locations", List.of(Map.of("physicalLocation", Map.of(
                "artifactLocation", Map.of("uri", uri(f.file())),
                "region", Map.of("startLine", Math.max(1, f.line()))))));
        if (suppressed != null) {
            Map<String, Object> suppression = new LinkedHashMap<>();
            suppression.put("kind", "inSource");
            suppression.put("justification", suppressed.reason() == null ? suppressed.by() : suppressed.by() + ": " + suppressed.reason());
            result.put("suppressions", List.of(suppression));
        }
        return result;
    }

    private static String level(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    /** Relative paths with forward slashes, as code scanning resolves them against the checkout. */
    private static String uri(String file) {
        String uri = file.replace('\\', '/');
        while (uri.startsWith("./")) {
            uri = uri.substring(2);
        }
        return uri.replace(" ", "%20");
    }

    private static String camel(String id) {
        StringBuilder b = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }

    /**
     * JUnit XML for Jenkins' junit step: a testsuite per file, a testcase per finding (a failure when at or above
     * the failing severity, passed with the text in system-out otherwise), and one passing testcase for a clean file.
     */
    public static String junit(LintReport report) {
        Map<String, List<Finding>> byFile = new LinkedHashMap<>();
        for (LintReport.FileResult file : report.files()) {
            byFile.put(file.file(), new ArrayList<>());
        }
        for (Finding f : report.findings()) {
            byFile.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f);
        }
        Severity failOn = report.summary().failOn();
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long failures = report.findings().stream().filter(f -> f.severity().atLeast(failOn)).count();
        int tests = byFile.values().stream().mapToInt(l -> Math.max(1, l.size())).sum();
        b.append(String.format("<testsuites name=\"runbook lint\" tests=\"%d\" failures=\"%d\">%n", tests, failures));
        for (Map.Entry<String, List<Finding>> e : byFile.entrySet()) {
            List<Finding> findings = e.getValue();
            long fileFailures = findings.stream().filter(f -> f.severity().atLeast(failOn)).count();
            String suite = "lint." + shortName(e.getKey()).replace(".sql", "").replace('.', '_');
            b.append(String.format("  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">%n",
                    xml(suite), Math.max(1, findings.size()), fileFailures));
            if (findings.isEmpty()) {
                b.append(String.format("    <testcase classname=\"%s\" name=\"%s: no findings\"/>%n", xml(suite), xml(shortName(e.getKey()))));
            }
            for (Finding f : findings) {
                String name = String.format("%s:%d %s", shortName(f.file()), f.line(), f.rule());
                b.append(String.format("    <testcase classname=\"%s\" name=\"%s\">%n", xml(suite), xml(name)));
                String detail = f.message() + "\nstatement: " + f.statement() + "\nlock: " + f.lock() + "\nwhy: " + f.why()
                        + "\nsafer: " + f.alternative() + "\nat " + f.file() + ":" + f.line();
                if (f.severity().atLeast(failOn)) {
                    b.append(String.format("      <failure message=\"%s\" type=\"%s\">%s</failure>%n",
                            xml(f.severity().label().toUpperCase(Locale.ROOT) + " " + f.message()), xml(f.rule()), xml(detail)));
                } else {
                    b.append(String.format("      <system-out>%s</system-out>%n", xml(f.severity().label() + ": " + detail)));
                }
                b.append("    </testcase>\n");
            }
            b.append("  </testsuite>\n");
        }
        b.append("</testsuites>\n");
        return b.toString();
    }

    private static String xml(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    // characters XML 1.0 cannot carry at all
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        b.append('?');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
