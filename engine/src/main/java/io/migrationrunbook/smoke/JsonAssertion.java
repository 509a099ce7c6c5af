package io.migrationrunbook.smoke;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.RunbookException;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One assertion on a JSON response: where ({@code pointer}, a JSON Pointer such as {@code /positions/0/quantity}, or
 * {@code path}, a JsonPath subset such as {@code $.positions[0].quantity}) and what (one or more of {@code equals},
 * {@code exists}, {@code contains}, {@code matches}, {@code size}, {@code atLeast}, {@code atMost}). Numbers compare
 * by value ({@code 10} equals {@code 10.0}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JsonAssertion(
        String pointer,
        String path,
        JsonNode equals,
        Boolean exists,
        JsonNode contains,
        String matches,
        Integer size,
        BigDecimal atLeast,
        BigDecimal atMost) {

    public static JsonAssertion equalTo(String pointer, Object expected) {
        return new JsonAssertion(pointer, null, io.migrationrunbook.core.Json.mapper().valueToTree(expected), null, null, null, null, null, null);
    }

    public static JsonAssertion present(String pointer) {
        return new JsonAssertion(pointer, null, null, true, null, null, null, null, null);
    }

    /** The same assertion with placeholders replaced in its expected texts ({@code equals}, {@code contains}, {@code matches}). */
    public JsonAssertion substituted(java.util.function.UnaryOperator<String> substitute) {
        return new JsonAssertion(pointer, path, substituteText(equals, substitute), exists, substituteText(contains, substitute),
                matches == null ? null : substitute.apply(matches), size, atLeast, atMost);
    }

    private static JsonNode substituteText(JsonNode node, java.util.function.UnaryOperator<String> substitute) {
        return node != null && node.isTextual() ? com.fasterxml.jackson.databind.node.TextNode.valueOf(substitute.apply(node.asText())) : node;
    }

    /** The JSON Pointer this assertion reads, from {@code pointer} or {@code path}. */
    public String effectivePointer() {
        return pointer != null ? pointer : JsonPaths.toPointer(path);
    }

    public String where() {
        return pointer != null ? pointer : path;
    }

    void validate(String check) {
        if ((pointer == null) == (path == null)) {
            throw RunbookException.configuration("Check '" + check + "': a JSON assertion names exactly one of 'pointer' "
                    + "(e.g. /positions/0/quantity) or 'path' (e.g. $.positions[0].quantity).");
        }
        if (pointer != null && !pointer.isEmpty() && !pointer.startsWith("/")) {
            throw RunbookException.configuration("Check '" + check + "': the JSON Pointer '" + pointer + "' must start with '/' "
                    + "(e.g. /positions/0/quantity); for a JsonPath use 'path: $.positions[0].quantity'.");
        }
        effectivePointer();
        if (equals == null && exists == null && contains == null && matches == null && size == null && atLeast == null && atMost == null) {
            throw RunbookException.configuration("Check '" + check + "': the JSON assertion on " + where()
                    + " says nothing to check: add equals, exists, contains, matches, size, atLeast or atMost.");
        }
        if (matches != null) {
            try {
                Pattern.compile(matches);
            } catch (PatternSyntaxException e) {
                throw RunbookException.configuration("Check '" + check + "': 'matches' is not a valid regular expression: " + e.getDescription());
            }
        }
    }

    /** Null when the document satisfies this assertion, else what is wrong. */
    public String failure(JsonNode document) {
        JsonNode actual = document.at(effectivePointer());
        boolean present = !actual.isMissingNode();
        if (exists != null) {
            if (exists && !present) {
                return where() + " is missing";
            }
            if (!exists && present) {
                return where() + " should be absent but is " + abbreviate(actual);
            }
        }
        if (!present) {
            return (equals != null || contains != null || matches != null || size != null || atLeast != null || atMost != null)
                    ? where() + " is missing" : null;
        }
        if (equals != null && !sameValue(equals, actual)) {
            return where() + " is " + abbreviate(actual) + ", expected " + abbreviate(equals);
        }
        if (contains != null && !contains(actual, contains)) {
            return where() + " is " + abbreviate(actual) + ", expected it to contain " + abbreviate(contains);
        }
        if (matches != null && !(actual.isValueNode() && Pattern.compile(matches).matcher(actual.asText()).find())) {
            return where() + " is " + abbreviate(actual) + ", expected it to match /" + matches + "/";
        }
        if (size != null && (!actual.isContainerNode() || actual.size() != size)) {
            return where() + " has " + (actual.isContainerNode() ? actual.size() + " elements" : "no elements (" + abbreviate(actual) + ")")
                    + ", expected " + size;
        }
        if (atLeast != null || atMost != null) {
            BigDecimal value = number(actual);
            if (value == null) {
                return where() + " is " + abbreviate(actual) + ", expected a number";
            }
            if (atLeast != null && value.compareTo(atLeast) < 0) {
                return where() + " is " + value.stripTrailingZeros().toPlainString() + ", expected at least " + atLeast.toPlainString();
            }
            if (atMost != null && value.compareTo(atMost) > 0) {
                return where() + " is " + value.stripTrailingZeros().toPlainString() + ", expected at most " + atMost.toPlainString();
            }
        }
        return null;
    }

    static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isNumber() && actual.isTextual() || expected.isTextual() && actual.isNumber()) {
            // YAML writes "10" and 10 alike to many people: compare numerically when both read as numbers
            BigDecimal a = number(expected);
            BigDecimal b = number(actual);
            return a != null && b != null && a.compareTo(b) == 0;
        }
        return expected.equals(actual);
    }

    private static boolean contains(JsonNode actual, JsonNode expected) {
        if (actual.isArray()) {
            for (JsonNode element : actual) {
                if (sameValue(expected, element)) {
                    return true;
                }
            }
            return false;
        }
        if (actual.isObject() && expected.isTextual()) {
            return actual.has(expected.asText());
        }
        return actual.isValueNode() && actual.asText().contains(expected.asText());
    }

    private static BigDecimal number(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
