package io.migrationrunbook.migrate;

import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.embedded.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes migration files into a test's directory and makes settings pointing at it. */
record MigrationFiles(Path dir) {

    MigrationFiles write(String name, String sql) {
        try {
            Files.writeString(dir.resolve(name), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    String location() {
        return "filesystem:" + dir;
    }

    MigrationSettings settings() {
        return MigrationSettings.create().locations(location());
    }

    static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.user(), Secret.of(db.password()));
    }
}
