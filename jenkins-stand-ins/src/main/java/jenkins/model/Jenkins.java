package jenkins.model;

import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import hudson.security.AccessControlled;
import hudson.security.AuthorizationStrategy;
import hudson.security.SecurityRealm;
import hudson.security.Permission;
import java.io.File;
import java.util.List;

/**
 * Stand-in: the controller; there is none outside Jenkins. (The real class reaches {@code ItemGroup<TopLevelItem>}
 * through DirectlyModifiableTopLevelItemGroup; it is the context of the global credentials drop-downs.)
 */
public class Jenkins implements ItemGroup<TopLevelItem>, AccessControlled {
    public static final Permission ADMINISTER = Permission.standIn("Administer");
    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    public static final Permission READ = Permission.standIn("Read");

    private Jenkins() {
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    public void setSecurityRealm(SecurityRealm securityRealm) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    public void setAuthorizationStrategy(AuthorizationStrategy a) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    @SuppressWarnings("rawtypes")
    public <T extends Descriptor> T getDescriptorByType(Class<T> type) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public static Jenkins get() throws IllegalStateException {
        throw new IllegalStateException("stand-in: no Jenkins here");
    }

    public File getRootDir() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <T extends Item> T getItemByFullName(String fullName, Class<T> type) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    public <T extends Item> List<T> getAllItems(Class<T> type) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @SuppressWarnings("rawtypes")
    public Descriptor getDescriptorOrDie(Class<? extends Describable> type) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
