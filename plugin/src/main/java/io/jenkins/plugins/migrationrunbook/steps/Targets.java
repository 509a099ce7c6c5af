package io.jenkins.plugins.migrationrunbook.steps;

import io.jenkins.plugins.migrationrunbook.config.MigrationRunbookConfiguration;
import io.migrationrunbook.core.Secret;

/**
 * What a step resolves on the controller before sending work to the agent: the administrators' configuration and
 * credentials by id for this build. Jenkins-free, so steps are tested offline with an in-memory implementation.
 */
public interface Targets {

    MigrationRunbookConfiguration configuration();

    /** A username/password credential, as the engine's types. */
    Login usernamePassword(String credentialsId);

    /** A secret text credential. */
    Secret secretText(String credentialsId);

    /**
     * Who runs the step: the build's full display name and externalizable id ({@code folder » job #42 (folder/job#42)}),
     * recorded where the engine records who did something (a pause's {@code pausedBy}); null when unknown.
     */
    default String build() {
        return null;
    }

    /** A user name and a password that only the engine reads. */
    record Login(String user, Secret password) {
    }
}
