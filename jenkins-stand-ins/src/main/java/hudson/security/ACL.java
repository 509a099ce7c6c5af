package hudson.security;

import org.springframework.security.core.Authentication;

/**
 * Stand-in: the SYSTEM identity (to list global credentials for an administrator's connection test and the
 * credentials drop-downs) and running a block as it (to see every run when checking whether a freeze holder ended).
 */
public abstract class ACL {
    public static final Authentication SYSTEM2 = null;

    public static ACLContext as2(Authentication auth) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
