package hudson.model;

/** Stand-in. */
public interface Describable<T extends Describable<T>> {
    Descriptor<T> getDescriptor();
}
