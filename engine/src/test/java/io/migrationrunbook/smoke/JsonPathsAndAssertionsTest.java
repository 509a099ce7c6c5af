package io.migrationrunbook.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonPathsAndAssertionsTest {

    private static final JsonNode DOC = read("{\"status\":\"UP\",\"positions\":[{\"securityId\":\"AAPL\",\"quantity\":10.000}],"
            + "\"a/b\":{\"x y\":\"v\"},\"tags\":[\"red\",\"blue\"],\"count\":\"42\"}");

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonAssertion assertion(String yaml) {
        try {
            return Json.yaml().readValue(yaml, JsonAssertion.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theJsonPathSubsetBecomesAJsonPointer() {
        assertThat(JsonPaths.toPointer("$")).isEmpty();
        assertThat(JsonPaths.toPointer("$.positions[0].quantity")).isEqualTo("/positions/0/quantity");
        assertThat(JsonPaths.toPointer("$['a/b'][\"x y\"]")).isEqualTo("/a~1b/x y");
        assertThat(DOC.at(JsonPaths.toPointer("$['a/b']['x y']")).asText()).isEqualTo("v");
        for (String unsupported : new String[] {"positions[0]", "$..quantity", "$.positions[*].quantity", "$.positions[?(@.x)]", "$.a[1:2]", "$.a["}) {
            assertThatThrownBy(() -> JsonPaths.toPointer(unsupported)).isInstanceOf(RunbookException.class)
                    .hasMessageContaining("Unsupported JsonPath")
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION));
        }
    }

    @Test
    void assertionsCompareNumbersByValueAndSayWhatTheySaw() {
        assertThat(assertion("{pointer: /positions/0/quantity, equals: 10}").failure(DOC)).isNull();
        assertThat(assertion("{path: '$.positions[0].quantity', equals: 10.0}").failure(DOC)).isNull();
        assertThat(assertion("{path: '$.positions[0].quantity', equals: 11}").failure(DOC))
                .isEqualTo("$.positions[0].quantity is 10.0, expected 11");
        assertThat(assertion("{pointer: /count, equals: 42}").failure(DOC)).isNull();
        assertThat(assertion("{pointer: /status, equals: UP}").failure(DOC)).isNull();
        assertThat(assertion("{pointer: /status, equals: DOWN}").failure(DOC)).isEqualTo("/status is \"UP\", expected \"DOWN\"");
        assertThat(assertion("{pointer: /missing, exists: true}").failure(DOC)).isEqualTo("/missing is missing");
        assertThat(assertion("{pointer: /missing, exists: false}").failure(DOC)).isNull();
        assertThat(assertion("{pointer: /status, exists: false}").failure(DOC)).contains("should be absent");
        assertThat(assertion("{pointer: /tags, contains: blue}").failure(DOC)).isNull();
        assertThat(assertion("{pointer: /tags, contains: green}").failure(DOC)).contains("expected it to contain \"green\"");
        assertThat(assertion("{pointer: /tags, size: 2}").failure(DOC)).isNull();
        assertThat(assertion("{pointer: /positions, size: 3}").failure(DOC)).isEqualTo("/positions has 1 elements, expected 3");
        assertThat(assertion("{pointer: /status, matches: '^U.$'}").failure(DOC)).isNull();
        assertThat(assertion("{pointer: /positions/0/quantity, atLeast: 10, atMost: 10}").failure(DOC)).isNull();
        assertThat(assertion("{pointer: /positions/0/quantity, atLeast: 11}").failure(DOC)).isEqualTo("/positions/0/quantity is 10, expected at least 11");
        assertThat(new JsonAssertion("/x", null, null, null, null, null, null, BigDecimal.ONE, null).failure(DOC)).isEqualTo("/x is missing");
    }

    @Test
    void anAssertionThatChecksNothingOrPointsNowhereIsRefused() {
        assertThatThrownBy(() -> assertion("{pointer: /status}").validate("c")).hasMessageContaining("says nothing to check");
        assertThatThrownBy(() -> assertion("{pointer: status, equals: UP}").validate("c")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> assertion("{pointer: /a, path: $.a, equals: 1}").validate("c")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> assertion("{pointer: /a, matches: '('}").validate("c")).hasMessageContaining("not a valid regular expression");
    }
}
