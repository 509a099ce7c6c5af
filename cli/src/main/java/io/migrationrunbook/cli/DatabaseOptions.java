package io.migrationrunbook.cli;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The connection options every database subcommand shares. The password is read only from
 * {@code PGPASSWORD} or a file: a flag value would show in process lists and shell history.
 */
public class DatabaseOptions {

    @Option(names = "--db-url", paramLabel = "JDBC_URL", required = true,
            description = "jdbc:postgresql://HOST:PORT/DATABASE")
    String url;

    @Option(names = "--db-user", paramLabel = "NAME", required = true, description = "Database user.")
    String user;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "File holding the password (otherwise PGPASSWORD is used).")
    Path passwordFile;

    public DatabaseTarget target() {
        return new DatabaseTarget(url, user, password());
    }

    Secret password() {
        if (passwordFile != null) {
            return Secret.fromFile(passwordFile);
        }
        return Secret.fromEnvironment("PGPASSWORD");
    }

    /** Fails with a usage error when a subcommand that needs a database is called without one. */
    public static DatabaseTarget require(DatabaseOptions options) {
        if (options == null || options.url == null) {
            throw RunbookException.configuration("This command needs a database: pass --db-url and --db-user.");
        }
        return options.target();
    }
}
