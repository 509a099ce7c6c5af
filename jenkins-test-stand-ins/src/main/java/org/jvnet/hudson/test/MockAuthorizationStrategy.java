package org.jvnet.hudson.test;

import hudson.model.Descriptor;
import hudson.security.AuthorizationStrategy;
import hudson.security.Permission;

/** Stand-in (jenkins-test-harness): grant(...).everywhere().to(...) only. Compile-only. */
public class MockAuthorizationStrategy extends AuthorizationStrategy {

    public Grant grant(Permission... permissions) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public Descriptor<AuthorizationStrategy> getDescriptor() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public class Grant {
        public GrantOn everywhere() {
            throw new UnsupportedOperationException("stand-in: no Jenkins here");
        }

        public class GrantOn {
            public MockAuthorizationStrategy to(String... sids) {
                throw new UnsupportedOperationException("stand-in: no Jenkins here");
            }
        }
    }
}
