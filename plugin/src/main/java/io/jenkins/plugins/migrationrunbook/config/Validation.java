package io.jenkins.plugins.migrationrunbook.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks behind the configuration form's field validation, free of Jenkins types so they are tested offline.
 * Each returns null when the value is fine, otherwise the message to show (problem and fix).
 */
public final class Validation {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9_.\\[\\]:-]+:[0-9]{1,5}");
    private static final Pattern DURATION = Pattern.compile("[0-9]+\\s*(ms|s|min|h)");

    private Validation() {
    }

    public static String id(String id) {
        if (id == null || id.isBlank()) {
            return "An id is required: pipelines refer to this entry by it (for example database: 'prod').";
        }
        if (!ID.matcher(id.trim()).matches()) {
            return "Use letters, digits, '.', '_' or '-' (at most 64 characters), starting with a letter or digit.";
        }
        return null;
    }

    public static String jdbcUrl(String url) {
        if (url == null || url.isBlank()) {
            return "A JDBC URL is required, like jdbc:postgresql://db.example.com:5432/app.";
        }
        if (!url.trim().startsWith("jdbc:postgresql://")) {
            return "Only PostgreSQL is supported: the URL must start with jdbc:postgresql://HOST:PORT/DATABASE.";
        }
        if (url.contains("password=")) {
            return "Do not put the password in the URL: choose a credentials id instead, so it never shows in logs.";
        }
        String rest = url.trim().substring("jdbc:postgresql://".length());
        int q = rest.indexOf('?');
        String path = q >= 0 ? rest.substring(0, q) : rest;
        int slash = path.indexOf('/');
        if (slash < 0 || slash == path.length() - 1) {
            return "The URL names no database: expected jdbc:postgresql://HOST:PORT/DATABASE.";
        }
        return null;
    }

    public static String bootstrapServers(String servers) {
        if (servers == null || servers.isBlank()) {
            return "Bootstrap servers are required, like broker1:9092,broker2:9092.";
        }
        for (String server : splitList(servers)) {
            if (!HOST_PORT.matcher(server).matches()) {
                return "'" + server + "' is not HOST:PORT. List the brokers as broker1:9092,broker2:9092.";
            }
        }
        return null;
    }

    public static String httpUrl(String url, boolean required) {
        if (url == null || url.isBlank()) {
            return required ? "A URL is required (http:// or https://)." : null;
        }
        String u = url.trim();
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            return "The URL must start with http:// or https://.";
        }
        if (u.matches("https?://[^/]*@.*")) {
            return "Do not put credentials in the URL: choose a credentials id instead.";
        }
        return null;
    }

    /** A PostgreSQL-style duration as used for lock_timeout and statement_timeout: 500ms, 5s, 15min, 1h. */
    public static String duration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!DURATION.matcher(value.trim()).matches()) {
            return "Write a duration like 500ms, 5s, 15min or 1h.";
        }
        return null;
    }

    /** Splits a comma- or newline-separated list, trimming entries and dropping blanks. */
    public static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split("[,\\n]")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Parses a value accepted by {@link #duration(String)} to milliseconds; {@code fallbackMs} when blank. */
    public static long durationMillis(String value, long fallbackMs) {
        if (value == null || value.isBlank()) {
            return fallbackMs;
        }
        String v = value.trim();
        if (duration(v) != null) {
            throw new IllegalArgumentException("'" + v + "' is not a duration like 500ms, 5s, 15min or 1h.");
        }
        String unit = v.replaceAll("[0-9\\s]", "");
        long n = Long.parseLong(v.replaceAll("[^0-9]", ""));
        return switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "min" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> throw new IllegalArgumentException(v);
        };
    }
}
