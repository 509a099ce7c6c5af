package hudson.security;

/** Stand-in: a permission. (The real constructor takes a group and localizable texts; the plugin never constructs one.) */
public final class Permission {
    public final String name;

    Permission(String name) {
        this.name = name;
    }

    public static Permission standIn(String name) {
        return new Permission(name);
    }
}
