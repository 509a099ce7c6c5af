package com.cloudbees.plugins.credentials.common;

/** Stand-in: the drop-down of standard credentials (id and name). */
public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {
    @Override
    protected String describe(StandardCredentials c) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
