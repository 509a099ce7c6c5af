package io.jenkins.plugins.migrationrunbook.config;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.security.ACL;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;

/**
 * Global (system) credentials, for the administrator's "Test connection" buttons only. Steps resolve credentials for
 * their build instead ({@code CredentialsProvider.findCredentialById}), so folder credentials and tracking apply.
 */
final class GlobalCredentials {

    record Login(String user, Secret password) {
    }

    private GlobalCredentials() {
    }

    static Login login(String credentialsId) {
        if (credentialsId == null || credentialsId.isBlank()) {
            throw RunbookException.configuration("Choose a username/password credentials id for this database.");
        }
        for (StandardUsernamePasswordCredentials c : CredentialsProvider.lookupCredentialsInItemGroup(
                StandardUsernamePasswordCredentials.class, null, ACL.SYSTEM2)) {
            if (credentialsId.trim().equals(c.getId())) {
                return new Login(c.getUsername(), Secret.of(c.getPassword().getPlainText()));
            }
        }
        throw RunbookException.configuration("No global username/password credentials with id '" + credentialsId.trim()
                + "': add it under Manage Jenkins > Credentials, or fix the id.");
    }
}
