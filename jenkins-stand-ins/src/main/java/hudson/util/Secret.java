package hudson.util;

import java.io.Serializable;

/** Stand-in: an encrypted-at-rest secret; toString never shows the value. */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public String getPlainText() {
        return value;
    }

    public static Secret fromString(String data) {
        return new Secret(data == null ? "" : data);
    }

    public static String toString(Secret s) {
        return s == null ? "" : s.value;
    }

    @Override
    public String toString() {
        return "stand-in-secret";
    }
}
