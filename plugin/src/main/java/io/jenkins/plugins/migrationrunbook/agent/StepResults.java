package io.jenkins.plugins.migrationrunbook.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import io.migrationrunbook.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an engine result record into what a Pipeline step returns: a map of plain values (strings, numbers, booleans,
 * lists, maps), with the same field names as the CLI's {@code --json} output and the run report.
 */
public final class StepResults {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private StepResults() {
    }

    public static Map<String, Object> toMap(Object result) {
        if (result == null) {
            return new LinkedHashMap<>();
        }
        if (Json.mapper().valueToTree(result).isObject()) {
            return Json.mapper().convertValue(result, MAP);
        }
        LinkedHashMap<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("value", Json.mapper().convertValue(result, Object.class));
        return wrapped;
    }
}
