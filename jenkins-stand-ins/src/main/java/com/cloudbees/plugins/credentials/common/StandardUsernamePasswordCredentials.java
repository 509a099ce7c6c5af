package com.cloudbees.plugins.credentials.common;

import hudson.util.Secret;

/**
 * Stand-in: user name and password. (The real interface reaches these methods through StandardUsernameCredentials
 * and UsernamePasswordCredentials; they are declared here directly.)
 */
public interface StandardUsernamePasswordCredentials extends StandardCredentials {
    String getUsername();

    Secret getPassword();
}
