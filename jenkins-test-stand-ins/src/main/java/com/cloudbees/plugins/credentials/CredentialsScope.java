package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Stand-in (credentials), for the JenkinsRule tests. */
public enum CredentialsScope implements Serializable {
    SYSTEM, GLOBAL, USER
}
