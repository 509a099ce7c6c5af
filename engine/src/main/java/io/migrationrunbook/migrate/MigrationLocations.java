package io.migrationrunbook.migrate;

import io.migrationrunbook.core.RunbookException;
import org.flywaydb.core.api.callback.Event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The migration locations, checked before anything connects: each must exist (Flyway would only warn and apply
 * nothing), and none may hold undo migrations ({@code U<version>__*.sql}): production is forward-only, a mistake is
 * fixed by a new forward migration. Locations follow Flyway's syntax: {@code filesystem:DIR} or
 * {@code classpath:PACKAGE}; no prefix means classpath, as in Flyway.
 */
public final class MigrationLocations {

    static final Pattern UNDO_FILE = Pattern.compile("U\\d[^/\\\\]*__[^/\\\\]*\\.sql");
    private static final String FILESYSTEM = "filesystem:";
    private static final String CLASSPATH = "classpath:";

    private MigrationLocations() {
    }

    /** The locations as Flyway should get them (filesystem paths made absolute), after checking them. */
    public static List<String> resolve(MigrationSettings settings) {
        return resolve(settings.locations(), Thread.currentThread().getContextClassLoader());
    }

    static List<String> resolve(List<String> locations, ClassLoader classLoader) {
        List<String> resolved = new ArrayList<>();
        List<String> undo = new ArrayList<>();
        for (String location : locations) {
            String trimmed = location.trim();
            if (trimmed.startsWith(FILESYSTEM)) {
                Path dir = Path.of(trimmed.substring(FILESYSTEM.length())).toAbsolutePath().normalize();
                if (!Files.isDirectory(dir)) {
                    throw RunbookException.configuration("Migration location " + trimmed + " is not a directory (" + dir + " "
                            + (Files.exists(dir) ? "is a file" : "does not exist") + "). Check --locations and the working directory.");
                }
                undo.addAll(undoFilesIn(dir));
                resolved.add(FILESYSTEM + dir);
            } else if (trimmed.contains(":") && !trimmed.startsWith(CLASSPATH)) {
                throw RunbookException.configuration("Migration location " + trimmed + " has an unsupported prefix: use filesystem:DIR or classpath:PACKAGE.");
            } else {
                String path = (trimmed.startsWith(CLASSPATH) ? trimmed.substring(CLASSPATH.length()) : trimmed).replace('.', '/');
                path = path.startsWith("/") ? path.substring(1) : path;
                List<URL> roots = classpathRoots(classLoader, path);
                if (roots.isEmpty()) {
                    throw RunbookException.configuration("Migration location " + trimmed + " is not on the classpath. For a directory write "
                            + "filesystem:" + path + " (a location without a prefix means classpath, as in Flyway).");
                }
                for (URL root : roots) {
                    undo.addAll(undoFilesIn(root, path));
                }
                resolved.add(CLASSPATH + path);
            }
        }
        if (!undo.isEmpty()) {
            throw RunbookException.configuration("Undo migrations found: " + String.join(", ", undo) + ". Production migrations are "
                    + "forward-only: remove the U__ files from the migration locations and fix mistakes with a new V__ migration.");
        }
        return resolved;
    }

    private static List<URL> classpathRoots(ClassLoader classLoader, String path) {
        try {
            List<URL> roots = new ArrayList<>();
            Enumeration<URL> urls = classLoader.getResources(path);
            while (urls.hasMoreElements()) {
                roots.add(urls.nextElement());
            }
            return roots;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether Flyway reads the file as an SQL callback: named after a callback event, alone or with a description
     * ({@code afterMigrate.sql}, {@code beforeEachMigrate__set_role.sql}).
     */
    public static boolean isSqlCallback(String fileName) {
        if (!fileName.endsWith(".sql")) {
            return false;
        }
        String base = fileName.substring(0, fileName.length() - 4);
        int separator = base.indexOf("__");
        try {
            return Event.fromId(separator < 0 ? base : base.substring(0, separator)) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The SQL callback files under the resolved filesystem locations, in name order (classpath ones are not listed). */
    public static List<Path> sqlCallbacks(List<String> resolvedLocations) {
        List<Path> callbacks = new ArrayList<>();
        for (String location : resolvedLocations) {
            if (!location.startsWith(FILESYSTEM)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(Path.of(location.substring(FILESYSTEM.length())))) {
                files.filter(Files::isRegularFile).filter(f -> isSqlCallback(f.getFileName().toString())).sorted().forEach(callbacks::add);
            } catch (IOException e) {
                throw RunbookException.configuration("Cannot read the migration directory " + location + ": " + e.getMessage()
                        + ". Check that it is readable by this user.");
            }
        }
        return callbacks;
    }

    static List<String> undoFilesIn(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> UNDO_FILE.matcher(f.getFileName().toString()).matches())
                    .map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read the migration directory " + dir + ": " + e.getMessage()
                    + ". Check that it is readable by this user.");
        }
    }

    private static List<String> undoFilesIn(URL root, String path) {
        try {
            if ("file".equals(root.getProtocol())) {
                return undoFilesIn(Path.of(root.toURI()));
            }
            if ("jar".equals(root.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) root.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    String prefix = path.endsWith("/") ? path : path + "/";
                    return jar.stream().map(e -> e.getName())
                            .filter(name -> name.startsWith(prefix))
                            .filter(name -> UNDO_FILE.matcher(name.substring(name.lastIndexOf('/') + 1)).matches())
                            .map(name -> root.toString().replace(path, name)).sorted().toList();
                }
            }
            return List.of();
        } catch (IOException | URISyntaxException e) {
            throw RunbookException.configuration("Cannot read the migration location " + root + ": " + e.getMessage() + ".");
        }
    }
}
