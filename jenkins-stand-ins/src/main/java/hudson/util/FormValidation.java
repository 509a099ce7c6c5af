package hudson.util;

import java.io.IOException;

/** Stand-in: the result of a form field check (a kind and a message, enough for tests). */
public abstract class FormValidation extends IOException {
    public enum Kind { OK, WARNING, ERROR }

    public final Kind kind;

    private FormValidation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static FormValidation ok() {
        return new Simple(Kind.OK, null);
    }

    public static FormValidation ok(String message) {
        return new Simple(Kind.OK, message);
    }

    public static FormValidation warning(String message) {
        return new Simple(Kind.WARNING, message);
    }

    public static FormValidation error(String message) {
        return new Simple(Kind.ERROR, message);
    }

    private static final class Simple extends FormValidation {
        Simple(Kind kind, String message) {
            super(kind, message);
        }
    }
}
