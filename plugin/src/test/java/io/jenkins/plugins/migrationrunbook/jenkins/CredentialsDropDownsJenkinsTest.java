package io.jenkins.plugins.migrationrunbook.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.migrationrunbook.config.ApiTarget;
import io.jenkins.plugins.migrationrunbook.config.ConsumerController;
import io.jenkins.plugins.migrationrunbook.config.Database;
import io.jenkins.plugins.migrationrunbook.config.KafkaCluster;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The credentials drop-downs of the global configuration. Runs only in the real build (mvn -Pjenkins -pl plugin -am verify). */
@WithJenkins
class CredentialsDropDownsJenkinsTest {

    private static List<String> values(ListBoxModel model) {
        return model.stream().map(o -> o.value).toList();
    }

    @Test
    void administratorsChooseAmongGlobalCredentialsOfTheRightKindOthersSeeOnlyTheCurrentValue(JenkinsRule j) throws Exception {
        CredentialsStore store = CredentialsProvider.lookupStores(j.jenkins).iterator().next();
        store.addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "db-login", "database login", "migrator", "pw-123456789"));
        store.addCredentials(Domain.global(),
                new StringCredentialsImpl(CredentialsScope.GLOBAL, "api-token", "API token", Secret.fromString("t0ken")));
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        Database.DescriptorImpl database = j.jenkins.getDescriptorByType(Database.DescriptorImpl.class);
        KafkaCluster.DescriptorImpl kafka = j.jenkins.getDescriptorByType(KafkaCluster.DescriptorImpl.class);
        ConsumerController.DescriptorImpl controller = j.jenkins.getDescriptorByType(ConsumerController.DescriptorImpl.class);
        ApiTarget.DescriptorImpl api = j.jenkins.getDescriptorByType(ApiTarget.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            assertThat(values(database.doFillCredentialsIdItems(""))).containsExactly("", "db-login");
            assertThat(values(kafka.doFillSaslCredentialsIdItems(""))).containsExactly("", "db-login");
            assertThat(values(kafka.doFillTruststorePasswordCredentialsIdItems(""))).containsExactly("", "api-token");
            assertThat(values(controller.doFillCredentialsIdItems("api-token"))).containsExactlyInAnyOrder("", "db-login", "api-token");
            assertThat(values(api.doFillCredentialsIdItems(""))).containsExactlyInAnyOrder("", "db-login", "api-token");
            // a deleted credential stays selected (and fails validation) instead of the form switching to another one
            assertThat(values(database.doFillCredentialsIdItems("deleted-login"))).contains("deleted-login", "db-login");
        }
        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertThat(values(database.doFillCredentialsIdItems("db-login"))).containsExactly("db-login");
            assertThat(values(api.doFillCredentialsIdItems(""))).containsExactly("");
        }
    }
}
