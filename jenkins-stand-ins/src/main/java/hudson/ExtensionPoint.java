package hudson;

/** Stand-in: marker interface. */
public interface ExtensionPoint {
}
