package io.migrationrunbook.backup;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code --keep N}: keeps the newest N backups of one database in a directory and deletes the older ones with their
 * sidecars. Only backups this tool made are touched: an artifact is a candidate only through a readable sidecar
 * with {@code "tool": "migration-runbook"} naming it, for the same database. Anything else in the directory stays.
 */
final class Retention {

    private Retention() {
    }

    record Candidate(Path sidecar, Path artifact, BackupMetadata metadata) {
    }

    /** Returns the absolute paths of the deleted artifacts and sidecars. */
    static List<String> apply(Path directory, String database, int keep, Path justWritten, Progress progress) {
        List<Candidate> candidates = candidates(directory, database);
        candidates.sort(Comparator.comparing((Candidate c) -> c.metadata().startedAt()).reversed());
        List<String> removed = new ArrayList<>();
        int kept = 0;
        for (Candidate candidate : candidates) {
            if (candidate.artifact().equals(justWritten) || kept < keep) {
                kept++;
                continue;
            }
            if (Files.isDirectory(candidate.artifact()) && !Files.exists(candidate.artifact().resolve("toc.dat"))) {
                progress.report("Retention: leaving %s alone (a directory that is not a pg_dump archive)", candidate.artifact());
                continue;
            }
            Backup.deleteQuietly(candidate.artifact());
            Backup.deleteQuietly(candidate.sidecar());
            removed.add(candidate.artifact().toString());
            removed.add(candidate.sidecar().toString());
            progress.report("Retention (--keep %d): removed %s from %s", keep, candidate.artifact().getFileName(),
                    candidate.metadata().startedAt());
        }
        return removed;
    }

    static List<Candidate> candidates(Path directory, String database) {
        List<Candidate> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path sidecar : files.filter(p -> p.getFileName().toString().endsWith(BackupMetadata.SUFFIX)
                    && !p.getFileName().toString().startsWith(".")).toList()) {
                BackupMetadata metadata;
                try {
                    metadata = Json.mapper().readValue(sidecar.toFile(), BackupMetadata.class);
                } catch (IOException e) {
                    continue; // not ours, or damaged: never delete what we cannot read
                }
                String expectedArtifact = sidecar.getFileName().toString()
                        .substring(0, sidecar.getFileName().toString().length() - BackupMetadata.SUFFIX.length());
                if (!BackupMetadata.TOOL.equals(metadata.tool()) || metadata.startedAt() == null
                        || !expectedArtifact.equals(metadata.file()) || !database.equals(metadata.database())) {
                    continue;
                }
                result.add(new Candidate(sidecar, sidecar.resolveSibling(expectedArtifact), metadata));
            }
        } catch (IOException e) {
            return result;
        }
        return result;
    }
}
