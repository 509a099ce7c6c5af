package org.jvnet.hudson.test;

import hudson.model.Descriptor;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TopLevelItem;
import hudson.security.SecurityRealm;
import java.io.IOException;
import java.net.URL;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import org.htmlunit.WebRequest;

/**
 * Stand-in (jenkins-test-harness): exactly the members the plugin's JenkinsRule tests call, with the real signatures.
 * Compile-only: the tests compiled against it are never run here.
 */
@SuppressWarnings("rawtypes")
public class JenkinsRule {
    public Jenkins jenkins;

    public <T extends TopLevelItem> T createProject(Class<T> type, String name) throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public FreeStyleProject createFreeStyleProject(String name) throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public MockFolder createFolder(String name) throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public DummySecurityRealm createDummySecurityRealm() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public URL getURL() throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <R extends Run> R assertBuildStatus(Result status, R r) throws Exception {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <R extends Run> R assertBuildStatusSuccess(R r) throws Exception {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <J extends Job<J, R> & ParameterizedJobMixIn.ParameterizedJob<J, R>, R extends Run<J, R> & Queue.Executable>
            R buildAndAssertSuccess(J job) throws Exception {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <J extends Job<J, R> & ParameterizedJobMixIn.ParameterizedJob<J, R>, R extends Run<J, R> & Queue.Executable>
            R buildAndAssertStatus(Result status, J job) throws Exception {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public FreeStyleBuild buildAndAssertSuccess(FreeStyleProject job) throws Exception {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public void assertLogContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public void assertLogNotContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <R extends Run<?, ?>> R waitForCompletion(R r) throws InterruptedException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <R extends Run<?, ?>> R waitForMessage(String message, R r) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public WebClient createWebClient() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    /** Stand-in. (The real one extends AbstractPasswordBasedSecurityRealm, a SecurityRealm.) */
    public static class DummySecurityRealm extends SecurityRealm {
        @Override
        public Descriptor<SecurityRealm> getDescriptor() {
            throw new UnsupportedOperationException("stand-in: no Jenkins here");
        }
    }

    public class WebClient extends org.htmlunit.WebClient {
        private static final long serialVersionUID = 1L;

        public WebClient login(String username) throws Exception {
            throw new UnsupportedOperationException("stand-in: no Jenkins here");
        }

        public WebRequest addCrumb(WebRequest req) {
            throw new UnsupportedOperationException("stand-in: no Jenkins here");
        }
    }
}
