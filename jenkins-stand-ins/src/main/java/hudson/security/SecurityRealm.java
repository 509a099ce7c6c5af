package hudson.security;

import hudson.ExtensionPoint;
import hudson.model.Describable;

/**
 * Stand-in, for the JenkinsRule tests only (plugin-jenkinsrule-compile): the parameter type of
 * {@code Jenkins.setSecurityRealm}. Not used by plugin/src/main.
 */
public abstract class SecurityRealm implements Describable<SecurityRealm>, ExtensionPoint {
}
