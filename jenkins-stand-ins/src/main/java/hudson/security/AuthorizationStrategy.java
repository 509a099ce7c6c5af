package hudson.security;

import hudson.ExtensionPoint;
import hudson.model.Describable;

/**
 * Stand-in, for the JenkinsRule tests only (plugin-jenkinsrule-compile): the parameter type of
 * {@code Jenkins.setAuthorizationStrategy}. Not used by plugin/src/main.
 */
public abstract class AuthorizationStrategy implements Describable<AuthorizationStrategy>, ExtensionPoint {
}
