package io.migrationrunbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class LintCommandTest {

    @TempDir
    Path dir;

    private Path migrations(String v1, String v2) throws Exception {
        Path location = dir.resolve("db/migration");
        Files.createDirectories(location);
        Files.writeString(location.resolve("V1__create_users.sql"), v1);
        Files.writeString(location.resolve("V10__later.sql"), v2);
        return location;
    }

    @Test
    void jsonFindingsCarryFileLineRuleSeverityMessageAndExitOneOnError() throws Exception {
        Path location = migrations("CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
                "ALTER TABLE users ADD COLUMN a int;\n\nALTER TABLE users DROP COLUMN email;\n");
        CliRun run = CliRun.of("lint", location.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode finding = run.json().get("findings").get(0);
        assertThat(finding.get("file").asText()).endsWith("V10__later.sql");
        assertThat(finding.get("line").asInt()).isEqualTo(3);
        assertThat(finding.get("rule").asText()).isEqualTo("ban-drop-column");
        assertThat(finding.get("severity").asText()).isEqualTo("error");
        assertThat(finding.get("message").asText()).contains("users.email");
        assertThat(finding.get("lock").asText()).contains("ACCESS EXCLUSIVE");
        assertThat(finding.has("why")).isTrue();
        assertThat(finding.has("alternative")).isTrue();
        assertThat(run.json().get("summary").get("errors").asInt()).isEqualTo(1);
        assertThat(run.json().get("summary").get("passed").asBoolean()).isFalse();
        // Flyway order: V1 before V10 (numeric, not lexical)
        assertThat(run.json().get("files").get(0).get("name").asText()).isEqualTo("V1__create_users.sql");
        assertThat(run.json().get("decision").get("allowed").asBoolean()).isFalse();
        assertThat(CliRun.of("lint", location.toString(), "--format", "json").json().get("findings").size()).isEqualTo(1);
    }

    @Test
    void failOnDecidesTheExitCode() throws Exception {
        Path location = migrations("CREATE TABLE users (id bigint);\n", "DROP INDEX users_idx;\n");
        assertThat(CliRun.of("lint", location.toString()).exitCode()).isZero(); // a warning only
        CliRun strict = CliRun.of("lint", location.toString(), "--fail-on", "warning");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.out()).contains("require-concurrent-index-deletion").contains("FAILED");
        assertThat(CliRun.of("lint", location.toString(), "--fail-on", "bogus").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("lint", location.toString(), "--disable", "no-such-rule").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("lint", dir.resolve("missing").toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void sarifHasTheRuleTableAndLocatedResults() throws Exception {
        Path location = migrations("CREATE TABLE users (id bigint);\n", "CREATE INDEX i ON users (id);\n"
                + "-- runbook:allow ban-drop-column unused since release 3\nALTER TABLE users DROP COLUMN x;\n");
        CliRun run = CliRun.of("lint", location.toString(), "--format", "sarif");
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode sarif = Json.mapper().readTree(run.out());
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.get("$schema").asText()).contains("sarif-2.1.0");
        JsonNode run0 = sarif.get("runs").get(0);
        JsonNode rules = run0.get("tool").get("driver").get("rules");
        assertThat(rules.size()).isGreaterThan(20);
        JsonNode result = run0.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("require-concurrent-index-creation");
        assertThat(result.get("level").asText()).isEqualTo("error");
        assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText()).isEqualTo("require-concurrent-index-creation");
        JsonNode location0 = result.get("locations").get(0).get("physicalLocation");
        assertThat(location0.get("artifactLocation").get("uri").asText()).endsWith("db/migration/V10__later.sql");
        assertThat(location0.get("region").get("startLine").asInt()).isEqualTo(1);
        assertThat(result.get("message").get("text").asText()).isNotBlank();
        assertThat(result.has("suppressions")).isFalse();
        JsonNode waived = run0.get("results").get(1);
        assertThat(waived.get("ruleId").asText()).isEqualTo("ban-drop-column");
        assertThat(waived.get("suppressions").get(0).get("kind").asText()).isEqualTo("inSource");
        assertThat(waived.get("suppressions").get(0).get("justification").asText()).contains("unused since release 3");
    }

    @Test
    void junitXmlParsesWithAFailurePerFinding() throws Exception {
        Path location = migrations("CREATE TABLE users (id bigint);\n",
                "ALTER TABLE users RENAME COLUMN id TO uid; -- a <comment> & more\nDROP INDEX x;\n");
        CliRun run = CliRun.of("lint", location.toString(), "--format", "junit");
        assertThat(run.exitCode()).isEqualTo(1);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
        assertThat(xml.getDocumentElement().getNodeName()).isEqualTo("testsuites");
        assertThat(xml.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(3); // clean V1 + two findings
        assertThat(xml.getElementsByTagName("failure").getLength()).isEqualTo(1); // the warning is not a failure
        assertThat(xml.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("type").getNodeValue())
                .isEqualTo("renaming-column");
    }

    @Test
    void classifyEnforcesThePolicy() throws Exception {
        Path additive = migrations("CREATE TABLE users (id bigint);\n",
                "ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_nick ON users (nickname);\n");
        CliRun run = CliRun.of("classify", dir.resolve("db/migration/V10__later.sql").toString(), "--json");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(0);
        assertThat(run.json().get("decision").get("consumersMustPause").asBoolean()).isFalse();
        assertThat(run.json().get("decision").get("classes").get(0).asText()).isEqualTo("non-breaking");

        Files.writeString(additive.resolve("V10__later.sql"), "ALTER TABLE users DROP COLUMN nickname;\n");
        Path breaking = dir.resolve("db/migration/V10__later.sql");
        CliRun refused = CliRun.of("classify", breaking.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("NEEDS APPROVAL").contains("must be paused");
        CliRun approved = CliRun.of("classify", breaking.toString(), "--approve-breaking");
        assertThat(approved.exitCode()).as(approved.out()).isZero();

        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "breakingNeedsApproval: false\n");
        assertThat(CliRun.of("classify", breaking.toString(), "--policy", policy.toString()).exitCode()).isZero();
        Files.writeString(policy, "nonsense: true\n");
        assertThat(CliRun.of("classify", breaking.toString(), "--policy", policy.toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void withADatabaseTheBackfillThresholdUsesItsRowEstimates(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE users (id bigint PRIMARY KEY, tier text)", "CREATE TABLE flags (id int, on_off boolean)",
                "INSERT INTO users SELECT g, 'basic' FROM generate_series(1, 3000) g", "INSERT INTO flags VALUES (1, true)",
                "ANALYZE users", "ANALYZE flags");
        Path location = migrations("CREATE TABLE users (id bigint);\n", "UPDATE flags SET on_off = false;\n");
        CliRun small = CliRun.of("lint", location.toString(), "--from-version", "10", "--backfill-threshold", "1000",
                "--db-url", db.jdbcUrl(), "--db-user", db.user(), "--json");
        assertThat(small.exitCode()).as(small.err() + small.out()).isZero();
        assertThat(small.json().get("classification").get("classes").size()).isZero();

        Files.writeString(location.resolve("V10__later.sql"), "UPDATE users SET tier = 'gold';\n");
        CliRun large = CliRun.of("classify", location.toString(), "--from-version", "10", "--backfill-threshold", "1000",
                "--db-url", db.jdbcUrl(), "--db-user", db.user());
        assertThat(large.exitCode()).isEqualTo(1);
        assertThat(large.out()).contains("backfill").contains("3000 rows");

        CliRun halfConnection = CliRun.of("lint", location.toString(), "--db-url", db.jdbcUrl());
        assertThat(halfConnection.exitCode()).isEqualTo(2);
    }
}
