package io.migrationrunbook.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The table of contents of an archive as printed by {@code pg_restore --list}. */
record Toc(List<String> entries) {

    /** "3345; 1259 16386 TABLE public orders app": dump id; catalog oid, object oid, then the description. */
    private static final Pattern ENTRY = Pattern.compile("^\\d+;\\s+\\d+\\s+\\d+\\s+(.*)$");

    static Toc parse(String listing) {
        List<String> entries = new ArrayList<>();
        for (String line : listing.split("\\R")) {
            if (line.isBlank() || line.startsWith(";")) {
                continue;
            }
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                entries.add(m.group(1));
            }
        }
        return new Toc(entries);
    }

    /** pg_restore prints names unquoted, followed by the owner: match "KIND schema name" plus a space or the end. */
    private boolean has(String kind, String schema, String name) {
        String prefix = kind + " " + schema + " " + name;
        for (String entry : entries) {
            if (entry.equals(prefix) || entry.startsWith(prefix + " ")) {
                return true;
            }
        }
        return false;
    }

    boolean hasTable(String schema, String name) {
        return has("TABLE", schema, name);
    }

    boolean hasTableData(String schema, String name) {
        return has("TABLE DATA", schema, name);
    }
}
