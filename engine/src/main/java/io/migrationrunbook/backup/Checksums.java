package io.migrationrunbook.backup;

import io.migrationrunbook.core.RunbookException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 of a backup artifact. A file: the SHA-256 of its bytes ({@code sha256sum FILE}). A directory (pg_dump
 * {@code -Fd}): the SHA-256 of the {@code sha256sum} listing of its regular files, by relative path in byte order,
 * so it can be recomputed with standard tools:
 * {@code cd DIR && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum}.
 */
public final class Checksums {

    private Checksums() {
    }

    public static String sha256(Path artifact) {
        try {
            return Files.isDirectory(artifact) ? directoryDigest(artifact) : fileDigest(artifact);
        } catch (IOException e) {
            throw RunbookException.environment("Cannot read " + artifact + " to compute its SHA-256: " + e.getMessage()
                    + ". Check that the file exists and is readable.", e);
        }
    }

    static String fileDigest(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String directoryDigest(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted((a, b) -> compareBytes(relative(directory, a), relative(directory, b))).toList();
        }
        MessageDigest listing = newDigest();
        for (Path file : files) {
            String line = fileDigest(file) + "  " + relative(directory, file) + "\n";
            listing.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(listing.digest());
    }

    /** Total size in bytes of a file, or of the regular files under a directory. */
    public static long size(Path artifact) {
        try {
            if (!Files.isDirectory(artifact)) {
                return Files.size(artifact);
            }
            try (Stream<Path> walk = Files.walk(artifact)) {
                return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // the size is only shown while pg_dump writes: a file may come and go meanwhile
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString();
    }

    /** LC_ALL=C sort order: by UTF-8 bytes, unsigned. */
    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
