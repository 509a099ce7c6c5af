package hudson;

import java.io.IOException;

/** Stand-in: a failure whose message is the whole story (Jenkins prints no stack trace for it). */
public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException() {
    }

    public AbortException(String message) {
        super(message);
    }
}
