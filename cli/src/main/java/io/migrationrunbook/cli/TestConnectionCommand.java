package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.db.ServerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runbook test-connection}: logs in and reports what the runbook will be working against. */
@Command(name = "test-connection", description = "Connect to the database and print server facts.")
public class TestConnectionCommand extends EngineCommand {

    @Mixin
    DatabaseOptions db;

    @Override
    protected Outcome run(Progress progress) {
        DatabaseTarget target = db.target();
        progress.report("Connecting to %s:%d/%s as %s ...", target.host(), target.port(), target.database(), target.user());
        ServerInfo info = ServerInfo.read(target);
        return Outcome.passed(info, String.format("Connected: PostgreSQL %s, database %s (%d MB), user %s%s",
                info.serverVersion(), info.database(), info.databaseSizeBytes() / (1024 * 1024), info.user(),
                info.superuser() ? " (superuser)" : ""));
    }
}
