package io.migrationrunbook.migrate;

import io.migrationrunbook.core.RunbookException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Flyway placeholders ({@code ${schema}} in migration SQL), replaced the way Flyway's own
 * {@code PlaceholderReplacingReader} does, so that the commands that read the SQL themselves (rehearse, lint, classify,
 * precheck) see what {@code migrate} will run:
 * <ul>
 *   <li>prefix {@code ${}, suffix {@code }} (Flyway's defaults), replaced anywhere in the file — statements, strings
 *   and comments alike, as Flyway reads the whole file through its replacing reader;</li>
 *   <li>names are case-insensitive ({@code ${Schema}} and {@code ${schema}} are the same placeholder);</li>
 *   <li>a placeholder without a value is an error naming it ("No value provided for placeholder" in Flyway);</li>
 *   <li>Flyway's built-in placeholders ({@code ${flyway:defaultSchema}}, {@code ${flyway:user}}, ...) are filled by
 *   Flyway at run time; they cannot be configured.</li>
 * </ul>
 * Values are not secrets in Flyway's design (they end up in the SQL and its checksum), but they are not echoed into
 * progress logs either.
 */
public final class Placeholders {

    public static final String PREFIX = "${";
    public static final String SUFFIX = "}";
    /** Flyway's built-in placeholders, filled per connection and file ({@code ParsingContext}); names without the {@code flyway:} prefix. */
    public static final Set<String> BUILT_IN = Set.of("defaultschema", "user", "database", "timestamp", "filename",
            "workingdirectory", "table", "environment");
    static final String BUILT_IN_PREFIX = "flyway:";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

    private Placeholders() {
    }

    /** A placeholder found in SQL text: its name as written and the 1-based line where it starts. */
    public record Use(String name, int line) {
    }

    /**
     * Parses {@code NAME=VALUE} arguments ({@code --placeholder schema=app}), in order; a later one for the same name
     * wins. A malformed one is a configuration error naming it and the fix, before anything else happens. The value is
     * everything after the first {@code =} and may be empty.
     */
    public static Map<String, String> parse(List<String> arguments) {
        Map<String, String> values = new LinkedHashMap<>();
        if (arguments == null) {
            return values;
        }
        for (String argument : arguments) {
            int eq = argument == null ? -1 : argument.indexOf('=');
            if (eq <= 0) {
                throw RunbookException.configuration("--placeholder '" + (argument == null ? "" : name(argument)) + "' is not NAME=VALUE: "
                        + "write --placeholder NAME=VALUE (e.g. --placeholder schema=app), once per placeholder. (To reject more "
                        + "migration descriptions in precheck, use --reject-description TEXT: it was --placeholder TEXT before.)");
            }
            String name = argument.substring(0, eq).trim();
            checkName(name, "--placeholder");
            values.put(name, argument.substring(eq + 1));
        }
        return values;
    }

    /**
     * Values as a pipeline gives them ({@code [schema: 'app', limit: 10]}: GStrings, numbers): each turned into its
     * string, in order; a null value stays null so {@link #check} names it. Null or empty: no placeholders.
     */
    public static Map<String, String> fromStep(Map<String, ?> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((name, value) -> strings.put(String.valueOf(name), value == null ? null : String.valueOf(value)));
        }
        return strings;
    }

    /** Rejects names Flyway would not match or reserves ({@code flyway:...}), naming where the value came from. */
    public static void check(Map<String, String> values, String option) {
        if (values == null) {
            return;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            checkName(e.getKey(), option);
            if (e.getValue() == null) {
                throw RunbookException.configuration(option + " '" + e.getKey() + "' has no value: give it one (an empty string is allowed).");
            }
            if (!seen.add(e.getKey().toLowerCase(Locale.ROOT))) {
                throw RunbookException.configuration(option + " names '" + e.getKey() + "' twice (placeholder names are case-insensitive, "
                        + "as in Flyway): keep one.");
            }
        }
    }

    private static void checkName(String name, String option) {
        if (name != null && name.toLowerCase(Locale.ROOT).startsWith(BUILT_IN_PREFIX)) {
            throw RunbookException.configuration(option + " '" + name + "': placeholders starting with flyway: are Flyway's built-in "
                    + "ones (${flyway:defaultSchema}, ${flyway:user}, ...), filled by Flyway itself; they cannot be set.");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw RunbookException.configuration(option + " '" + (name == null ? "" : name) + "' is not a placeholder name: use letters, "
                    + "digits, underscores, dots or dashes, starting with a letter or underscore (e.g. schema, app_role).");
        }
    }

    /** The argument shown in an error without its value (values stay out of messages). */
    private static String name(String argument) {
        return argument.length() > 60 ? argument.substring(0, 60) + "..." : argument;
    }

    /** Every placeholder in the text, in order, as Flyway's reader finds them. */
    public static List<Use> find(String text) {
        List<Use> uses = new ArrayList<>();
        replace(text, name -> null, uses);
        return uses;
    }

    /** Whether the name is one of Flyway's built-ins ({@code flyway:defaultSchema}, case-insensitive). */
    public static boolean isBuiltIn(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith(BUILT_IN_PREFIX) && BUILT_IN.contains(lower.substring(BUILT_IN_PREFIX.length()));
    }

    /**
     * The text with every placeholder replaced by {@code values.apply(name)}; a placeholder whose value is null is left
     * as it was and recorded in {@code unresolved}. Like Flyway: the text after {@code ${} up to the next {@code }} is the
     * name (an unterminated one runs to the end of the file), and a replacement is not scanned again.
     */
    public static String replace(String text, Function<String, String> values, List<Use> unresolved) {
        if (!text.contains(PREFIX)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf(PREFIX, i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            line += count(text, i, start);
            out.append(text, i, start);
            int end = text.indexOf(SUFFIX, start + PREFIX.length());
            String name = text.substring(start + PREFIX.length(), end < 0 ? text.length() : end);
            int next = end < 0 ? text.length() : end + SUFFIX.length();
            String value = values.apply(name);
            if (value == null) {
                unresolved.add(new Use(name, line));
                out.append(text, start, next);
            } else {
                out.append(value);
            }
            line += count(text, start, next);
            i = next;
        }
        return out.toString();
    }

    private static int count(String text, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** A case-insensitive lookup of the configured values, as Flyway's {@code CaseInsensitiveMap}. */
    public static Function<String, String> lookup(Map<String, String> values) {
        Map<String, String> insensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (values != null) {
            insensitive.putAll(values);
        }
        return insensitive::get;
    }

    /**
     * Flyway's semantics for the files {@code migrate} will run: every placeholder needs a value, from the configuration
     * or (for {@code flyway:...}) Flyway itself. Throws a configuration error naming each file, the placeholders without
     * a value and the fix; nothing has run yet when it does. Files that cannot be read are left to Flyway.
     */
    public static void requireValues(List<Path> files, Map<String, String> values) {
        Map<Path, List<Use>> missing = missing(files, values);
        if (!missing.isEmpty()) {
            throw RunbookException.configuration(message(missing));
        }
    }

    /** Per file, the placeholders without a value (files with none are left out), in the order given. */
    public static Map<Path, List<Use>> missing(List<Path> files, Map<String, String> values) {
        Function<String, String> known = lookup(values);
        Map<Path, List<Use>> missing = new LinkedHashMap<>();
        for (Path file : files) {
            if (replacementOff(file)) {
                continue;
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                continue; // unreadable: Flyway reports it with its own words
            }
            List<Use> unresolved = unresolved(text, known);
            if (!unresolved.isEmpty()) {
                missing.put(file, unresolved);
            }
        }
        return missing;
    }

    /** Flyway's per-script configuration {@code V1__x.sql.conf} may switch replacement off: {@code placeholderReplacement=false}. */
    public static boolean replacementOff(Path file) {
        Path conf = file.resolveSibling(file.getFileName() + ".conf");
        if (!Files.isRegularFile(conf)) {
            return false;
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            return false;
        }
        return "false".equalsIgnoreCase(p.getProperty("placeholderReplacement", "").trim());
    }

    /** The placeholders of the text that have no value (Flyway's built-ins count as having one). */
    public static List<Use> unresolved(String text, Function<String, String> known) {
        List<Use> unresolved = new ArrayList<>();
        replace(text, name -> isBuiltIn(name) ? "" : known.apply(name), unresolved);
        return unresolved;
    }

    static String describe(List<Use> uses) {
        List<String> parts = new ArrayList<>();
        for (Use u : uses) {
            parts.add(PREFIX + shown(u.name()) + SUFFIX + " (line " + u.line() + ")");
        }
        return String.join(", ", parts);
    }

    /** The error for placeholders without a value: each file with its placeholders and lines, and the fix per name. */
    public static String message(Map<Path, List<Use>> missing) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new java.util.LinkedHashSet<>();
        missing.forEach((file, uses) -> {
            problems.add(file + ": " + describe(uses));
            uses.forEach(u -> names.add(u.name()));
        });
        List<String> fixes = new ArrayList<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            fixes.add(lower.startsWith(BUILT_IN_PREFIX) ? name + " is not one of Flyway's built-in placeholders (flyway:defaultSchema, "
                    + "flyway:user, flyway:database, flyway:timestamp, flyway:filename, flyway:workingDirectory, flyway:table, "
                    + "flyway:environment)" : "--placeholder " + shown(name) + "=VALUE");
        }
        return "No value provided for Flyway placeholder(s) in " + String.join("; ", problems) + ". Flyway would stop at this "
                + "migration with the release half applied; nothing was run. Fix: pass " + String.join(", ", fixes)
                + " (Jenkins: placeholders: [name: 'value']; plan: migrations.placeholders), or remove the placeholder from the file.";
    }

    private static String shown(String name) {
        String firstLine = name.lines().findFirst().orElse("");
        return firstLine.length() > 60 || !firstLine.equals(name) ? firstLine.substring(0, Math.min(60, firstLine.length())) + "..." : name;
    }
}
