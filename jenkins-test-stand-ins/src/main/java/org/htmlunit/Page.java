package org.htmlunit;

import java.io.Serializable;

/** Stand-in (HtmlUnit), for the JenkinsRule tests: the bound of WebClient.getPage. */
public interface Page extends Serializable {
}
