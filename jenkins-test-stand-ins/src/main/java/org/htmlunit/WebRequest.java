package org.htmlunit;

import java.io.Serializable;
import java.net.URL;

/** Stand-in (HtmlUnit), for the JenkinsRule tests. */
public class WebRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    public WebRequest(URL url, HttpMethod submitMethod) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
