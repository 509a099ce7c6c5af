package io.migrationrunbook.smoke;

import io.migrationrunbook.core.RunbookException;

/**
 * The JsonPath subset smoke checks accept, turned into a JSON Pointer (Jackson's {@code JsonNode.at()}): a root
 * {@code $}, member names ({@code .name} or {@code ['name']}) and array indexes ({@code [0]}). Wildcards, filters and
 * recursive descent select several nodes and are refused: assert on one value.
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    public static String toPointer(String path) {
        if (path == null || !path.startsWith("$")) {
            throw unsupported(path, "it must start with $");
        }
        StringBuilder pointer = new StringBuilder();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                if (i + 1 < path.length() && path.charAt(i + 1) == '.') {
                    throw unsupported(path, "recursive descent (..) selects several nodes");
                }
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                String name = path.substring(i + 1, end);
                if (name.isEmpty() || name.equals("*")) {
                    throw unsupported(path, name.isEmpty() ? "an empty member name" : "wildcards select several nodes");
                }
                pointer.append('/').append(escape(name));
                i = end;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw unsupported(path, "an unclosed [");
                }
                String inside = path.substring(i + 1, close).trim();
                if (inside.matches("\\d+")) {
                    pointer.append('/').append(inside);
                } else if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'") || inside.startsWith("\"") && inside.endsWith("\""))) {
                    pointer.append('/').append(escape(inside.substring(1, inside.length() - 1)));
                } else {
                    throw unsupported(path, "[" + inside + "] is not an index or a quoted name (filters, slices and wildcards select several nodes)");
                }
                i = close + 1;
            } else {
                throw unsupported(path, "unexpected '" + c + "' at position " + i);
            }
        }
        return pointer.toString();
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static RunbookException unsupported(String path, String why) {
        return RunbookException.configuration("Unsupported JsonPath '" + path + "': " + why
                + ". Use $.a.b[0] / $['a'] forms, or a JSON Pointer (pointer: /a/b/0).");
    }
}
