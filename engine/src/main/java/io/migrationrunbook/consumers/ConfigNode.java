package io.migrationrunbook.consumers;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Durations;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.SecretRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node of a YAML configuration with its key path ({@code controllers[1].pause.url}), so every rejection names the
 * exact key. Unknown keys are rejected too: a typo in a production runbook must not be ignored silently.
 */
final class ConfigNode {

    private final JsonNode node;
    private final String path;

    ConfigNode(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    JsonNode raw() {
        return node;
    }

    private String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    RunbookException error(String message) {
        return RunbookException.configuration(message);
    }

    /** Fails on any key not in {@code allowed}. */
    ConfigNode allowOnly(String... allowed) {
        if (!node.isObject()) {
            throw error((path.isEmpty() ? "The configuration" : path) + " must be a mapping (key: value).");
        }
        Set<String> allowedKeys = Set.of(allowed);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowedKeys.contains(name)) {
                throw error(key(name) + " is not a known key; allowed here: " + new TreeSet<>(allowedKeys) + ".");
            }
        }
        return this;
    }

    boolean has(String name) {
        JsonNode child = node.get(name);
        return child != null && !child.isNull();
    }

    ConfigNode object(String name) {
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            throw error(key(name) + " is missing.");
        }
        if (!child.isObject()) {
            throw error(key(name) + " must be a mapping (key: value).");
        }
        return new ConfigNode(child, key(name));
    }

    ConfigNode optionalObject(String name) {
        return has(name) ? object(name) : null;
    }

    String string(String name) {
        String value = optionalString(name);
        if (value == null || value.isBlank()) {
            throw error(key(name) + " is missing.");
        }
        return value;
    }

    String optionalString(String name) {
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            return null;
        }
        if (!child.isValueNode()) {
            throw error(key(name) + " must be a single value.");
        }
        return child.asText();
    }

    String string(String name, String defaultValue) {
        String value = optionalString(name);
        return value == null ? defaultValue : value;
    }

    String oneOf(String name, String defaultValue, String... allowed) {
        String value = string(name, defaultValue);
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw error(key(name) + " must be one of " + List.of(allowed) + ", got '" + value + "'.");
    }

    Duration duration(String name, Duration defaultValue) {
        String value = optionalString(name);
        if (value == null) {
            return defaultValue;
        }
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (RunbookException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw error(key(name) + " must be a positive duration such as 500ms, 3s, 2m or PT30S, got '" + value + "'.");
        }
        return d;
    }

    List<String> stringList(String name, boolean required) {
        JsonNode child = node.get(name);
        List<String> values = new ArrayList<>();
        if (child == null || child.isNull()) {
            if (required) {
                throw error(key(name) + " is missing: list at least one entry.");
            }
            return values;
        }
        if (child.isTextual()) {
            values.add(child.asText());
        } else if (child.isArray()) {
            for (JsonNode item : child) {
                if (!item.isValueNode() || item.asText().isBlank()) {
                    throw error(key(name) + " must list names (strings).");
                }
                values.add(item.asText());
            }
        } else {
            throw error(key(name) + " must be a list of names.");
        }
        if (required && values.isEmpty()) {
            throw error(key(name) + " is empty: list at least one entry.");
        }
        return values;
    }

    List<ConfigNode> objectList(String name) {
        JsonNode child = node.get(name);
        if (child == null || child.isNull() || !child.isArray() || child.isEmpty()) {
            throw error(key(name) + " is missing or empty: list at least one entry.");
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < child.size(); i++) {
            items.add(new ConfigNode(child.get(i), key(name) + "[" + i + "]"));
        }
        return items;
    }

    /** A secret: {env: VARIABLE} or {file: PATH}; a literal value is refused so it never lands in files or logs. */
    SecretRef secret(String name) {
        if (!has(name)) {
            return null;
        }
        JsonNode child = node.get(name);
        if (!child.isObject()) {
            throw error(key(name) + " must be {env: VARIABLE} or {file: PATH}: literal secrets are not accepted in the "
                    + "configuration (it is copied into the pause state and shown in logs).");
        }
        ConfigNode ref = object(name).allowOnly("env", "file");
        String env = ref.optionalString("env");
        String file = ref.optionalString("file");
        if ((env == null) == (file == null)) {
            throw error(key(name) + " must name exactly one of env or file.");
        }
        return new SecretRef(env, file);
    }

    /** A map of header name to value, where a value is a string or a secret reference. */
    Map<String, Object> headers(String name) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (!has(name)) {
            return headers;
        }
        ConfigNode map = object(name);
        Iterator<Map.Entry<String, JsonNode>> fields = map.node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String header = field.getKey();
            if (field.getValue().isObject()) {
                headers.put(header, map.secret(header));
            } else if (field.getValue().isValueNode()) {
                if (io.migrationrunbook.core.Secret.looksLikeCredential(header)) {
                    throw error(map.key(header) + " looks like a credential: give it as {env: VARIABLE} or {file: PATH}, or use auth.");
                }
                headers.put(header, field.getValue().asText());
            } else {
                throw error(map.key(header) + " must be a string or {env: VARIABLE} / {file: PATH}.");
            }
        }
        return headers;
    }
}
