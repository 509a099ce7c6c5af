package io.migrationrunbook.migrate;

import io.migrationrunbook.core.RunbookException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaceholdersTest {

    @TempDir
    Path dir;

    @Test
    void parsesNameValueArgumentsAndKeepsEverythingAfterTheFirstEquals() {
        Map<String, String> values = Placeholders.parse(List.of("schema=app", "app_role=reader", "filter=a=b", "empty="));
        assertThat(values).containsExactly(Map.entry("schema", "app"), Map.entry("app_role", "reader"),
                Map.entry("filter", "a=b"), Map.entry("empty", ""));
    }

    @Test
    void refusesMalformedArgumentsAndReservedOrBadNames() {
        for (String bad : List.of("schema", "=app", "1abc=x", "my schema=x", "a}b=x")) {
            assertThatThrownBy(() -> Placeholders.parse(List.of(bad))).as(bad).isInstanceOf(RunbookException.class)
                    .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                    .hasMessageContaining("--placeholder");
        }
        assertThatThrownBy(() -> Placeholders.parse(List.of("flyway:user=x"))).hasMessageContaining("built-in");
        // case-insensitive names, as in Flyway: the same placeholder twice is ambiguous
        assertThatThrownBy(() -> MigrationSettings.create().placeholder("Schema", "a").placeholder("schema", "b").check())
                .hasMessageContaining("twice");
    }

    @Test
    void replacesLikeFlywayCaseInsensitivelyAnywhereAndRecordsUnresolvedWithLines() {
        String sql = "-- ${schema} comment\nCREATE TABLE ${Schema}.t (x text DEFAULT '${schema}');\nGRANT SELECT ON ${schema}.t TO ${app_role};\n";
        List<Placeholders.Use> unresolved = new ArrayList<>();
        String out = Placeholders.replace(sql, Placeholders.lookup(Map.of("schema", "app")), unresolved);
        assertThat(out).isEqualTo("-- app comment\nCREATE TABLE app.t (x text DEFAULT 'app');\nGRANT SELECT ON app.t TO ${app_role};\n");
        assertThat(unresolved).containsExactly(new Placeholders.Use("app_role", 3));
        // a value is not scanned again
        assertThat(Placeholders.replace("${a}", Placeholders.lookup(Map.of("a", "${b}")), new ArrayList<>())).isEqualTo("${b}");
        // an unterminated one runs to the end of the text, as in Flyway's reader
        assertThat(Placeholders.find("SELECT 1;\nSELECT '${oops;")).containsExactly(new Placeholders.Use("oops;", 2));
    }

    @Test
    void builtInsNeedNoValueButUnknownFlywayNamesDo(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("V1__x.sql"), "SET search_path = ${flyway:defaultSchema};\nSELECT '${flyway:User}', '${flyway:nope}';\n");
        assertThatThrownBy(() -> Placeholders.requireValues(List.of(file), Map.of()))
                .hasMessageContaining("V1__x.sql").hasMessageContaining("${flyway:nope} (line 2)")
                .hasMessageContaining("not one of Flyway's built-in placeholders")
                .hasMessageNotContaining("defaultSchema}");
    }

    @Test
    void requireValuesNamesEveryFileThePlaceholderAndTheFixAndSkipsFilesWithReplacementOff() throws Exception {
        Path v1 = Files.writeString(dir.resolve("V1__a.sql"), "CREATE SCHEMA ${schema};");
        Path v2 = Files.writeString(dir.resolve("V2__b.sql"), "SELECT 1;\nGRANT USAGE ON SCHEMA ${schema} TO ${app_role};");
        Path v3 = Files.writeString(dir.resolve("V3__c.sql"), "SELECT '${literal}';");
        Files.writeString(dir.resolve("V3__c.sql.conf"), "placeholderReplacement=false\n");
        Placeholders.requireValues(List.of(v1, v2, v3), Map.of("schema", "app", "app_role", "r"));
        assertThatThrownBy(() -> Placeholders.requireValues(List.of(v1, v2, v3), Map.of("SCHEMA", "app")))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION))
                .hasMessageContaining(v2.toString() + ": ${app_role} (line 2)")
                .hasMessageContaining("--placeholder app_role=VALUE")
                .hasMessageNotContaining("V1__a.sql").hasMessageNotContaining("literal");
    }

    @Test
    void settingsCarryThePlaceholdersAndKeepValuesOutOfToString() {
        MigrationSettings settings = MigrationSettings.create().placeholders(Map.of("app_role", "s3cr3t-looking-value")).check();
        assertThat(settings.placeholders()).containsEntry("app_role", "s3cr3t-looking-value");
        assertThat(settings.toString()).contains("app_role").doesNotContain("s3cr3t-looking-value");
    }
}
