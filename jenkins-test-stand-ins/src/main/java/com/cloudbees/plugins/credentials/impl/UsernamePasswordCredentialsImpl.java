package com.cloudbees.plugins.credentials.impl;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Descriptor;
import hudson.util.Secret;

/** Stand-in (credentials), for the JenkinsRule tests. (The real one extends BaseStandardCredentials.) */
public class UsernamePasswordCredentialsImpl implements StandardUsernamePasswordCredentials {
    private static final long serialVersionUID = 1L;

    public UsernamePasswordCredentialsImpl(CredentialsScope scope, String id, String description, String username, String password)
            throws Descriptor.FormException {
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
    public String getUsername() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public Secret getPassword() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
