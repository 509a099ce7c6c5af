package org.kohsuke.stapler;

/** Stand-in (Stapler), for the JenkinsRule tests: what WorkflowRun.doStop() returns. Members omitted: never called. */
public interface HttpResponse {
}
