package hudson.model;

import hudson.security.AccessControlled;
import org.springframework.security.core.Authentication;

/** Stand-in (jenkins-core), for the JenkinsRule tests. (The real one extends AbstractModelObject and implements more.) */
public class User implements AccessControlled, ModelObject {

    private User() {
    }

    public static User getById(String id, boolean create) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public Authentication impersonate2() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
