package io.migrationrunbook.core;

/**
 * The one exception type the engine raises for expected failures. Its {@link Kind} decides the
 * CLI exit code and how a Jenkins step reports it; its message must name the problem and the fix
 * and must never contain a secret.
 */
public class RunbookException extends RuntimeException {

    /** Why an operation stopped; the exit code of the CLI contract. */
    public enum Kind {
        /** The operation ran and a check it makes did not pass. */
        CHECK_FAILED(1),
        /** Bad input: a flag, a file, a plan. Detected before any side effect. */
        CONFIGURATION(2),
        /** The world is not as required: server unreachable, tool missing, permission denied. */
        ENVIRONMENT(3);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public RunbookException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RunbookException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static RunbookException configuration(String message) {
        return new RunbookException(Kind.CONFIGURATION, message);
    }

    public static RunbookException environment(String message, Throwable cause) {
        return new RunbookException(Kind.ENVIRONMENT, message, cause);
    }

    public static RunbookException environment(String message) {
        return new RunbookException(Kind.ENVIRONMENT, message);
    }

    public static RunbookException checkFailed(String message) {
        return new RunbookException(Kind.CHECK_FAILED, message);
    }
}
