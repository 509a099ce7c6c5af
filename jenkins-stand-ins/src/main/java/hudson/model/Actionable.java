package hudson.model;

/** Stand-in: holds actions. */
public abstract class Actionable {
    public void addAction(Action a) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
