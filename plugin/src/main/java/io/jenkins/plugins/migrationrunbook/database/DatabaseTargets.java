package io.jenkins.plugins.migrationrunbook.database;

import io.jenkins.plugins.migrationrunbook.config.Database;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;

/** Resolves a configured database id to the engine's connection, credentials included. */
public final class DatabaseTargets {
    private DatabaseTargets() {
    }

    public static Database configured(Targets targets, String id) {
        if (id == null || id.isBlank()) {
            throw RunbookException.configuration("No database given: pass database: 'ID', one of the databases configured "
                    + "under Manage Jenkins > System > Migration Runbook.");
        }
        return targets.configuration().database(id);
    }

    public static DatabaseTarget connect(Targets targets, Database db) {
        if (db.getCredentialsId().isEmpty()) {
            throw RunbookException.configuration("Database '" + db.getId() + "' has no credentials id: choose a username/password "
                    + "credential for it under Manage Jenkins > System > Migration Runbook.");
        }
        Targets.Login login = targets.usernamePassword(db.getCredentialsId());
        return new DatabaseTarget(db.getJdbcUrl(), login.user(), login.password());
    }

}
