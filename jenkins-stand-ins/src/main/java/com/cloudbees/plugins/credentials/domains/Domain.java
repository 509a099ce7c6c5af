package com.cloudbees.plugins.credentials.domains;

import java.io.Serializable;

/**
 * Stand-in, for the JenkinsRule tests only (plugin-jenkinsrule-compile): the domain argument of
 * {@code CredentialsStore.addCredentials}. Not used by plugin/src/main.
 */
public class Domain implements Serializable {
    private static final long serialVersionUID = 1L;

    private Domain() {
    }

    public static Domain global() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
