package com.cloudbees.plugins.credentials;

/** Stand-in: only the matchers the credentials drop-downs use. */
public class CredentialsMatchers {
    private CredentialsMatchers() {
    }

    public static CredentialsMatcher always() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @SuppressWarnings("rawtypes")
    public static CredentialsMatcher instanceOf(Class clazz) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public static CredentialsMatcher anyOf(CredentialsMatcher... matchers) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
