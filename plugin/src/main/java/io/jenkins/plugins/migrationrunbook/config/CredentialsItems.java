package io.jenkins.plugins.migrationrunbook.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.Collections;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The credentials drop-downs of the global configuration (the credentials plugin's {@code <c:select/>}): the global
 * credentials of the right kind, for administrators only. Anybody else gets just the current value, so the list does
 * not reveal which credentials exist and saving the form keeps the value. The current value stays listed even when
 * its credential was deleted, rather than the form quietly switching to another one.
 */
final class CredentialsItems {
    private CredentialsItems() {
    }

    /** Username with password: database logins, Kafka SASL. */
    static ListBoxModel usernamePassword(String current) {
        return fill(current, StandardUsernamePasswordCredentials.class, CredentialsMatchers.always());
    }

    /** Secret text: trust store passwords. */
    static ListBoxModel secretText(String current) {
        return fill(current, StringCredentials.class, CredentialsMatchers.always());
    }

    /** Secret text (bearer token) or username with password (basic auth): controllers and API targets. */
    static ListBoxModel tokenOrLogin(String current) {
        return fill(current, StandardCredentials.class, CredentialsMatchers.anyOf(
                CredentialsMatchers.instanceOf(StringCredentials.class),
                CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class)));
    }

    private static ListBoxModel fill(String current, Class<? extends StandardCredentials> type, CredentialsMatcher matcher) {
        String value = current == null ? "" : current.trim();
        StandardListBoxModel result = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return result.includeCurrentValue(value);
        }
        return result
                .includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, Collections.emptyList(), matcher)
                .includeCurrentValue(value);
    }
}
