package org.jenkinsci.plugins.plaincredentials.impl;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Stand-in (plain-credentials), for the JenkinsRule tests. (The real one extends BaseStandardCredentials.) */
public final class StringCredentialsImpl implements StringCredentials {
    private static final long serialVersionUID = 1L;

    public StringCredentialsImpl(CredentialsScope scope, String id, String description, Secret secret) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getId() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getDescription() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public Secret getSecret() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
