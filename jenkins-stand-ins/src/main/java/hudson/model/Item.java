package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

/** Stand-in: a job or folder, addressed by its full name. */
public interface Item extends AccessControlled {
    Permission CONFIGURE = Permission.standIn("Configure");

    String getFullName();
}
