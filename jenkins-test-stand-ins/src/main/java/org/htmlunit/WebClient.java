package org.htmlunit;

import java.io.IOException;
import java.io.Serializable;

/** Stand-in (HtmlUnit), for the JenkinsRule tests: the superclass of JenkinsRule.WebClient. */
public class WebClient implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    public <P extends Page> P getPage(WebRequest request) throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
