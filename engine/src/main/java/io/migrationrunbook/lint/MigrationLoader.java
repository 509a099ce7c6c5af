package io.migrationrunbook.lint;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.migrate.Placeholders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads migration files and directories in Flyway order (versioned by version, then repeatable by description,
 * then any other .sql file by name) and parses each into a {@link Migration}.
 */
public final class MigrationLoader {

    private static final Pattern VERSIONED = Pattern.compile("^V([0-9][0-9._]*)__(.+)\\.sql$", Pattern.CASE_INSENSITIVE);
    private static final Pattern REPEATABLE = Pattern.compile("^R__(.+)\\.sql$", Pattern.CASE_INSENSITIVE);

    private MigrationLoader() {
    }

    /** Every .sql file under the given files and directories (recursively), in Flyway order. */
    public static List<Path> files(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                            .forEach(files::add);
                } catch (IOException e) {
                    throw RunbookException.configuration("Cannot list " + input + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw RunbookException.configuration("No such migration file or directory: " + input
                        + ". Pass .sql files or a Flyway location such as db/migration.");
            }
        }
        files.sort(FLYWAY_ORDER);
        return files;
    }

    static final Comparator<Path> FLYWAY_ORDER = Comparator
            .comparingInt((Path p) -> group(p.getFileName().toString()))
            .thenComparing((a, b) -> compareVersions(version(a.getFileName().toString()), version(b.getFileName().toString())))
            .thenComparing(p -> p.getFileName().toString())
            .thenComparing(Path::toString);

    private static int group(String name) {
        if (VERSIONED.matcher(name).matches()) {
            return 0;
        }
        return REPEATABLE.matcher(name).matches() ? 1 : 2;
    }

    /** Flyway version of a file name ({@code V1_2__x.sql} is 1.2), or null. */
    public static String version(String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        return m.matches() ? m.group(1).replace('_', '.') : null;
    }

    static String description(String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) {
            return m.group(2);
        }
        m = REPEATABLE.matcher(fileName);
        return m.matches() ? m.group(1) : null;
    }

    static int compareVersions(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int k = 0; k < Math.max(x.length, y.length); k++) {
            BigInteger p = k < x.length && !x[k].isEmpty() ? new BigInteger(x[k]) : BigInteger.ZERO;
            BigInteger q = k < y.length && !y[k].isEmpty() ? new BigInteger(y[k]) : BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    public static Migration load(Path file) {
        return load(file, Map.of());
    }

    /**
     * Reads and parses one file with Flyway placeholders replaced as {@code migrate} will replace them. A placeholder
     * without a value becomes an identifier of its name (so {@code ALTER TABLE ${schema}.t} still parses) and is listed in
     * {@link Migration#unresolvedPlaceholders()}; strict callers (rehearsal) check
     * {@link Placeholders#requireValues} first.
     */
    public static Migration load(Path file, Map<String, String> placeholders) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read " + file + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw RunbookException.configuration("Cannot read " + file + " as UTF-8: " + e.getMessage());
        }
        return parse(file, text, executeInTransactionOverride(file), Placeholders.replacementOff(file) ? null : placeholders);
    }

    /** Parses SQL text as one migration named after {@code file} (which need not exist). */
    public static Migration parse(Path file, String text, Boolean executeInTransaction) {
        return parse(file, text, executeInTransaction, Map.of());
    }

    /** As {@link #parse(Path, String, Boolean)}, placeholders replaced first (null: replacement off for this file). */
    public static Migration parse(Path file, String text, Boolean executeInTransaction, Map<String, String> placeholders) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        List<Placeholders.Use> unresolved = List.of();
        if (placeholders != null && text.contains(Placeholders.PREFIX)) {
            Function<String, String> known = Placeholders.lookup(placeholders);
            unresolved = Placeholders.unresolved(text, known);
            text = Placeholders.replace(text, name -> {
                String value = known.apply(name);
                return value != null ? value : asIdentifier(name);
            }, new ArrayList<>());
        }
        SqlScript script = SqlScript.parse(text);
        List<ParsedStatement> statements = new ArrayList<>(script.statements().size());
        for (SqlStatement statement : script.statements()) {
            statements.add(StatementRecognizer.recognize(statement));
        }
        boolean flywayNoTransaction = statements.stream().anyMatch(ParsedStatement::flywayRunsOutsideTransaction);
        Migration.TransactionMode mode = Boolean.FALSE.equals(executeInTransaction) || flywayNoTransaction
                ? Migration.TransactionMode.NO_TRANSACTION : Migration.TransactionMode.SINGLE_TRANSACTION;
        List<Boolean> inTransaction = new ArrayList<>(statements.size());
        boolean explicit = false;
        for (ParsedStatement s : statements) {
            switch (s.kind()) {
                case BEGIN -> {
                    explicit = true;
                    inTransaction.add(true);
                }
                case COMMIT, ROLLBACK -> {
                    inTransaction.add(explicit || mode == Migration.TransactionMode.SINGLE_TRANSACTION);
                    explicit = false;
                }
                default -> inTransaction.add(explicit || mode == Migration.TransactionMode.SINGLE_TRANSACTION);
            }
        }
        String name = file.getFileName().toString();
        return new Migration(file, name, version(name), description(name), mode, List.copyOf(statements),
                List.copyOf(inTransaction), script.comments(), List.copyOf(unresolved));
    }

    /** What the linter reads in place of a placeholder without a value: a plain identifier of its name. */
    static String asIdentifier(String name) {
        String id = name.replaceAll("[^A-Za-z0-9_]", "_");
        return id.isEmpty() || Character.isDigit(id.charAt(0)) ? "_" + id : id;
    }

    /** Flyway's per-script configuration {@code V1__x.sql.conf}: {@code executeInTransaction=false}. */
    private static Boolean executeInTransactionOverride(Path file) {
        Path conf = file.resolveSibling(file.getFileName() + ".conf");
        if (!Files.isRegularFile(conf)) {
            return null;
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read " + conf + ": " + e.getMessage());
        }
        String value = p.getProperty("executeInTransaction");
        return value == null ? null : Boolean.parseBoolean(value.trim());
    }
}
