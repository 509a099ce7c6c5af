package io.jenkins.plugins.migrationrunbook.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Run;
import io.jenkins.plugins.migrationrunbook.config.MigrationRunbookConfiguration;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Credentials resolved for the build ({@code findCredentialById}: folder credentials and credential parameters apply,
 * and only what the build may use), and tracked so the credential's page shows where it was used.
 */
public final class JenkinsTargets implements Targets {

    private final Run<?, ?> run;

    public JenkinsTargets(Run<?, ?> run) {
        this.run = run;
    }

    @Override
    public MigrationRunbookConfiguration configuration() {
        return MigrationRunbookConfiguration.get();
    }

    @Override
    public String build() {
        return run.getFullDisplayName() + " (" + run.getExternalizableId() + ")";
    }

    @Override
    public Login usernamePassword(String credentialsId) {
        StandardUsernamePasswordCredentials c = CredentialsProvider.findCredentialById(require(credentialsId),
                StandardUsernamePasswordCredentials.class, run);
        if (c == null) {
            throw missing(credentialsId, "Username with password");
        }
        CredentialsProvider.track(run, c);
        return new Login(c.getUsername(), Secret.of(c.getPassword().getPlainText()));
    }

    @Override
    public Secret secretText(String credentialsId) {
        StringCredentials c = CredentialsProvider.findCredentialById(require(credentialsId), StringCredentials.class, run);
        if (c == null) {
            throw missing(credentialsId, "Secret text");
        }
        CredentialsProvider.track(run, c);
        return Secret.of(c.getSecret().getPlainText());
    }

    private static String require(String id) {
        if (id == null || id.isBlank()) {
            throw RunbookException.configuration("No credentials id configured: set one in Manage Jenkins > System > Migration Runbook.");
        }
        return id.trim();
    }

    private static RunbookException missing(String id, String kind) {
        return RunbookException.configuration("No '" + kind + "' credentials with id '" + id.trim() + "' that this build may use: "
                + "add it (global or in the job's folder) or fix the id in Manage Jenkins > System > Migration Runbook.");
    }
}
