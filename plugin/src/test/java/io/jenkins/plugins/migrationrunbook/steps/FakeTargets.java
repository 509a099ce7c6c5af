package io.jenkins.plugins.migrationrunbook.steps;

import io.jenkins.plugins.migrationrunbook.config.MigrationRunbookConfiguration;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Configuration and credentials in memory, standing for the controller's (the credentials store is a fake). */
public final class FakeTargets implements Targets {
    public final MigrationRunbookConfiguration configuration = new MigrationRunbookConfiguration();
    public final Map<String, Login> logins = new HashMap<>();
    public final Map<String, Secret> texts = new HashMap<>();
    public final List<String> resolved = new java.util.ArrayList<>();
    /** The build the steps run in, as {@link JenkinsTargets#build()} describes it. */
    public String build = "release » migrate #1 (release/migrate#1)";

    @Override
    public String build() {
        return build;
    }

    @Override
    public MigrationRunbookConfiguration configuration() {
        return configuration;
    }

    @Override
    public Login usernamePassword(String credentialsId) {
        resolved.add(credentialsId);
        Login login = logins.get(credentialsId);
        if (login == null) {
            throw RunbookException.configuration("No 'Username with password' credentials with id '" + credentialsId + "'");
        }
        return login;
    }

    @Override
    public Secret secretText(String credentialsId) {
        resolved.add(credentialsId);
        Secret s = texts.get(credentialsId);
        if (s == null) {
            throw RunbookException.configuration("No 'Secret text' credentials with id '" + credentialsId + "'");
        }
        return s;
    }
}
