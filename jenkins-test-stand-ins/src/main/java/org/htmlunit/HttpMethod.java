package org.htmlunit;

/** Stand-in (HtmlUnit, as jenkins-test-harness-htmlunit repackages it), for the JenkinsRule tests. */
public enum HttpMethod {
    OPTIONS, GET, HEAD, POST, PUT, DELETE, TRACE, PATCH
}
