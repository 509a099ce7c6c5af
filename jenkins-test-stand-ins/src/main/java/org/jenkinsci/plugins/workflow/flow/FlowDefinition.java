package org.jenkinsci.plugins.workflow.flow;

import hudson.ExtensionPoint;
import hudson.model.Describable;

/** Stand-in (workflow-api), for the JenkinsRule tests. (The real one extends AbstractDescribableImpl, a Describable.) */
public abstract class FlowDefinition implements Describable<FlowDefinition>, ExtensionPoint {
}
