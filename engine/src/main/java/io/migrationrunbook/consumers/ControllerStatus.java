package io.migrationrunbook.consumers;

/**
 * What a controller says about its consumers. {@code NOT_REPORTED}: the controller has no status (manual, or an HTTP
 * control without a status probe) and the Kafka side alone decides.
 */
public record ControllerStatus(State state, String detail) {

    public enum State { PAUSED, RUNNING, UNKNOWN, NOT_REPORTED }

    public static ControllerStatus paused(String detail) {
        return new ControllerStatus(State.PAUSED, detail);
    }

    public static ControllerStatus running(String detail) {
        return new ControllerStatus(State.RUNNING, detail);
    }

    public static ControllerStatus unknown(String detail) {
        return new ControllerStatus(State.UNKNOWN, detail);
    }

    public static ControllerStatus notReported(String detail) {
        return new ControllerStatus(State.NOT_REPORTED, detail);
    }

    /** The controller does not contradict a pause: it says paused, or it cannot say. */
    public boolean allowsPaused() {
        return state == State.PAUSED || state == State.NOT_REPORTED;
    }
}
