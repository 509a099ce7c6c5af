package io.jenkins.plugins.migrationrunbook.agent;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.core.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Temporary 0600 files holding secrets on the agent, for engine settings that take a {@link SecretRef} (Kafka SASL and
 * trust store passwords): never an argument, never an environment variable of the agent. Deleted on close.
 */
public final class SecretFiles implements AutoCloseable {

    private final List<Path> files = new ArrayList<>();

    public SecretRef write(Secret secret) {
        if (secret == null) {
            return null;
        }
        try {
            Path file = Files.createTempFile("runbook-secret", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            files.add(file);
            Files.writeString(file, secret.reveal());
            return SecretRef.file(file.toString());
        } catch (IOException | UnsupportedOperationException e) {
            throw RunbookException.environment("Cannot write a temporary secret file on the agent (" + e.getClass().getSimpleName()
                    + "): check that its temporary directory is writable.");
        }
    }

    @Override
    public void close() {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // best effort: 0600 in the temporary directory
            }
        }
        files.clear();
    }
}
