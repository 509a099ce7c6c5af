package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.ExtensionPoint;
import hudson.model.ItemGroup;
import hudson.model.ModelObject;
import hudson.model.Run;
import java.util.List;
import org.springframework.security.core.Authentication;

/** Stand-in: only the static look-ups the plugin uses. */
public abstract class CredentialsProvider implements ExtensionPoint {
    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run,
            DomainRequirement... domainRequirements) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @SuppressWarnings("rawtypes")
    public static <C extends Credentials> List<C> lookupCredentialsInItemGroup(Class<C> type, ItemGroup itemGroup,
            Authentication authentication) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    // JenkinsRule tests only (plugin-jenkinsrule-compile): not used by plugin/src/main
    public static Iterable<CredentialsStore> lookupStores(ModelObject context) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @SuppressWarnings("rawtypes")
    public static <C extends Credentials> C track(Run build, C credentials) {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
