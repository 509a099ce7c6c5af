package hudson.security;

/** Stand-in: an object guarded by permissions, checked for the current thread's authentication. */
public interface AccessControlled {
    default void checkPermission(Permission permission) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    default boolean hasPermission(Permission permission) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
