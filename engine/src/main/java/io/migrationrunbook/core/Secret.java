package io.migrationrunbook.core;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A password, token or key. {@link #toString()} never shows the value, so a secret that ends up in a
 * log line, an exception or a JSON report by accident shows as {@code ****}. Read the value only
 * at the point where it is handed to a driver or a child process environment.
 */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    /** Reads a secret file; trailing newlines (as written by {@code echo}) are not part of the secret. */
    public static Secret fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Secret(text.replaceAll("[\\r\\n]+$", ""));
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read the secret file " + file + " (" + e.getClass().getSimpleName()
                    + "): check that it exists and is readable by this user.");
        }
    }

    /** A secret from an environment variable, or null when the variable is unset or empty. */
    public static Secret fromEnvironment(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isEmpty() ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    /** Replaces every occurrence of this secret in {@code text}: for messages that quote foreign output. */
    public String redact(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        return text.replace(value, MASK);
    }

    /**
     * Whether a name (an HTTP header, a Flyway placeholder) says its value is a credential: {@code Authorization},
     * {@code X-Api-Key}, {@code app_password}, {@code service_token}. Such values are masked wherever the name is shown.
     */
    public static boolean looksLikeCredential(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return n.equals("authorization") || n.equals("cookie") || n.equals("proxy-authorization")
                || n.contains("token") || n.contains("secret") || n.contains("password") || n.contains("passwd")
                || n.contains("api-key") || n.contains("apikey");
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
