package hudson.security;

import org.springframework.security.core.Authentication;

/** Stand-in: only the SYSTEM identity is used (to list global credentials for an administrator's connection test). */
public abstract class ACL {
    public static final Authentication SYSTEM2 = null;
}
