package org.jvnet.hudson.test.junit.jupiter;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jvnet.hudson.test.fixtures.JenkinsSessionFixture;

/** Stand-in (jenkins-test-harness): a Jenkins that survives restarts between {@link #then} calls. Compile-only. */
public class JenkinsSessionExtension implements BeforeEachCallback, AfterEachCallback {

    @FunctionalInterface
    public interface Step extends JenkinsSessionFixture.Step {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public void then(Step s) throws Throwable {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
