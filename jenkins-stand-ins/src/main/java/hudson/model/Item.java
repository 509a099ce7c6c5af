package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

/** Stand-in: a job or folder, addressed by its full name. */
public interface Item extends AccessControlled {
    Permission CONFIGURE = Permission.standIn("Configure");
    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    Permission READ = Permission.standIn("Read");
    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    Permission BUILD = Permission.standIn("Build");

    String getFullName();
}
