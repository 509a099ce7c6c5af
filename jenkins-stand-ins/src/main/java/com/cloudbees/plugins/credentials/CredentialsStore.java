package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.security.AccessControlled;
import java.io.IOException;

/**
 * Stand-in, for the JenkinsRule tests only (plugin-jenkinsrule-compile): what {@code CredentialsProvider.lookupStores}
 * yields. Not used by plugin/src/main. (The real class also implements Saveable.)
 */
public abstract class CredentialsStore implements AccessControlled {
    public abstract boolean addCredentials(Domain domain, Credentials credentials) throws IOException;
}
