package io.migrationrunbook.smoke;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.PostgresServer;
import io.migrationrunbook.smoke.SmokeResult.CheckResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Smoke checks against the real demo service (real Kafka, real PostgreSQL) and, for scripted answers, local JDK HTTP servers. */
class SmokeTestTest {

    private static DemoService service;
    private static PostgresServer postgres;
    private static String database;

    @BeforeAll
    static void startDemoService() {
        postgres = PostgresExtension.server();
        database = postgres.createDatabase("smoke");
        service = DemoService.start(new DemoConfig()
                .database(postgres.jdbcUrl(database), postgres.user(), postgres.password())
                .kafka(KafkaExtension.broker().bootstrapServers())
                .topic("smoke-transactions")
                .groupId("smoke-persistence"));
    }

    @AfterAll
    static void stopDemoService() {
        if (service != null) {
            service.close();
        }
    }

    static SmokeFile checks(String yaml) throws IOException {
        Path file = Files.createTempFile("smoke", ".yaml");
        Files.writeString(file, yaml);
        return SmokeFile.load(file);
    }

    private static final String DEMO_CHECKS = """
            checks:
              - name: health
                path: /health
                expectStatus: 200
                echoCorrelationId: true
                latencyBudget: 5s
                expectJson:
                  - {pointer: /status, equals: UP}
              - name: test transaction
                type: transaction
                method: POST
                path: /transactions
                body: {transactionId: "SMOKE-${uuid}", portfolioId: "SMOKE-P-${uuid}", securityId: AAPL, quantity: 5, price: 20}
                expectStatus: 202
                echoCorrelationId: true
                expectJson:
                  - {pointer: /eventId, equals: "SMOKE-${uuid}"}
                poll:
                  path: "/transactions/${response:/transactionId}"
                  expectJson:
                    - {path: "$.quantity", equals: 5}
                    - {path: "$.eventCorrelationId", equals: "${correlationId}"}
                  every: 100ms
                  deadline: 20s
              - name: same event twice is applied once
                type: idempotency
                path: /transactions
                body: {transactionId: "IDEM-${uuid}", portfolioId: "IDEM-P-${uuid}", securityId: MSFT, quantity: 3, price: 10}
                expectStatus: 202
                poll:
                  path: "/portfolios/IDEM-P-${uuid}/positions"
                  expectJson:
                    - {pointer: /positions/0/transactionCount, equals: 1}
                    - {pointer: /positions/0/quantity, equals: 3}
                  deadline: 20s
                settle: 700ms
            """;

    @Test
    void demoChecksPassWithOneCorrelationIdPerCheckThatReachesTheDatabase() throws Exception {
        String yaml = DEMO_CHECKS;
        List<String> progress = new ArrayList<>();
        SmokeResult result = checks(yaml).toSettings().baseUrl(service.baseUrl()).progress(progress::add).run();

        assertThat(result.passed()).as(result.summary()).isTrue();
        assertThat(result.checksRun()).isEqualTo(3);
        assertThat(result.correlationHeader()).isEqualTo("X-Correlation-ID");
        for (CheckResult check : result.checks()) {
            assertThat(check.correlationId()).matches("TEST:[0-9a-f-]{36}");
            assertThat(check.requests()).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
        }
        CheckResult transaction = result.checks().get(1);
        assertThat(transaction.requests()).extracting(SmokeResult.RequestTiming::step).containsExactly("request", "poll");
        assertThat(transaction.requests().get(1).polls()).isGreaterThanOrEqualTo(1);
        CheckResult idempotency = result.checks().get(2);
        assertThat(idempotency.requests()).extracting(SmokeResult.RequestTiming::step).containsExactly("request", "repeat", "poll", "recheck");
        assertThat(progress).anyMatch(line -> line.contains("test transaction passed"));

        // the test transaction's id travelled through Kafka into processed_events: logs and rows can be searched for it
        try (Connection c = postgres.connect(database);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM processed_events WHERE correlation_id = ?")) {
            s.setString(1, transaction.correlationId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
        assertThat(service.stats().duplicatesSkipped()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void failuresQuoteTheCorrelationIdAndWhatWasSeen() throws Exception {
        SmokeResult result = checks("""
                correlation: {header: X-Correlation-ID, prefix: "SMOKE:"}
                checks:
                  - name: wrong expectation
                    path: /portfolios/NOBODY/positions
                    expectJson: [{pointer: /positions, size: 1}]
                  - name: never persisted
                    type: transaction
                    path: /health
                    poll: {path: /transactions/NEVER-THERE, deadline: 600ms, every: 100ms}
                  - name: missing route
                    path: /nothing-here
                    expectStatus: 200
                """).toSettings().baseUrl(service.baseUrl()).run();

        assertThat(result.passed()).isFalse();
        assertThat(result.checksFailed()).isEqualTo(3);
        CheckResult wrong = result.checks().get(0);
        assertThat(wrong.correlationId()).startsWith("SMOKE:");
        assertThat(wrong.failures()).singleElement().asString()
                .contains("GET /portfolios/NOBODY/positions answered 200: /positions has 0 elements, expected 1")
                .endsWith("[X-Correlation-ID: " + wrong.correlationId() + "]");
        CheckResult never = result.checks().get(1);
        assertThat(never.failures()).singleElement().asString()
                .contains("did not appear within 600 ms").contains("GET /transactions/NEVER-THERE answered 404").contains(never.correlationId());
        assertThat(never.requests().get(1).polls()).isGreaterThan(1);
        assertThat(result.checks().get(2).failures()).singleElement().asString().contains("status 404, expected 200");
        assertThat(result.summary()).contains("FAIL wrong expectation").contains(wrong.correlationId());
    }

    @Test
    void theIdempotencyScenarioCatchesAServiceThatAppliesTwice() throws Exception {
        AtomicInteger applied = new AtomicInteger();
        try (LocalHttpServer fake = new LocalHttpServer((n, request) -> request.method().equals("POST")
                ? new LocalHttpServer.Answer(202, "{\"eventId\":\"E1\"}")
                : new LocalHttpServer.Answer(200, "{\"count\":" + appliedSoFar(applied, request) + "}"))) {
            SmokeResult result = SmokeTest.configure().baseUrl(fake.baseUrl()).check(new SmokeCheck("twice", SmokeCheck.Type.IDEMPOTENCY,
                    "POST", "/events", null, Json.mapper().readTree("{\"eventId\":\"E1\"}"), 202, null, null, null,
                    new SmokeCheck.Poll(null, "/count", null, 200, List.of(JsonAssertion.equalTo("/count", 1)), "50ms", "5s"), "300ms")).run();
            assertThat(result.passed()).isFalse();
            assertThat(result.checks().get(0).failures()).singleElement().asString()
                    .contains("applied twice?").contains("/count is 2, expected 1");
        }
    }

    /** A non-idempotent fake: the first query sees one application, every later one sees the duplicate applied as well. */
    private static int appliedSoFar(AtomicInteger applied, LocalHttpServer.Received request) {
        return applied.incrementAndGet() == 1 ? 1 : 2;
    }

    @Test
    void connectionErrorsAndServerErrorsAreRetriedWithBackoffUnderTheSameCorrelationId() throws Exception {
        try (LocalHttpServer flaky = new LocalHttpServer((n, request) -> n == 1
                ? new LocalHttpServer.Answer(500, "{\"error\":\"warming up\"}")
                : new LocalHttpServer.Answer(200, "{\"status\":\"UP\"}"))) {
            SmokeResult result = SmokeTest.configure().baseUrl(flaky.baseUrl()).retries(3, Duration.ofMillis(50))
                    .check(SmokeCheck.get("flaky health", "/health", 200, List.of(JsonAssertion.equalTo("/status", "UP")))).run();
            assertThat(result.passed()).as(result.summary()).isTrue();
            assertThat(result.checks().get(0).requests().get(0).attempts()).isEqualTo(2);
            assertThat(flaky.received).hasSize(2);
            assertThat(flaky.received.get(0).correlationId()).isEqualTo(flaky.received.get(1).correlationId())
                    .isEqualTo(result.checks().get(0).correlationId());
        }
        try (LocalHttpServer broken = new LocalHttpServer((n, request) -> new LocalHttpServer.Answer(503, "{\"error\":\"down\"}"))) {
            SmokeResult result = SmokeTest.configure().baseUrl(broken.baseUrl()).retries(3, Duration.ofMillis(10))
                    .check(SmokeCheck.get("down", "/health", null, null)).run();
            assertThat(result.passed()).isFalse();
            assertThat(broken.received).hasSize(3);
            assertThat(result.checks().get(0).failures()).singleElement().asString()
                    .contains("GET /health answered 503 after 3 attempts: status 503, expected 2xx (body: {\"error\":\"down\"})");
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SmokeResult refused = SmokeTest.configure().baseUrl("http://localhost:" + closedPort).retries(2, Duration.ofMillis(10))
                .check(SmokeCheck.get("nobody home", "/health", 200, null)).run();
        assertThat(refused.passed()).isFalse();
        CheckResult check = refused.checks().get(0);
        assertThat(check.requests().get(0).attempts()).isEqualTo(2);
        assertThat(check.requests().get(0).error()).contains("ConnectException");
        assertThat(check.failures()).singleElement().asString().contains("GET /health failed after 2 attempts: no answer")
                .contains(check.correlationId());
    }

    @Test
    void credentialsAreSentButNeverShown() throws Exception {
        String token = "s3cret-token-value";
        try (LocalHttpServer echoing = new LocalHttpServer((n, request) ->
                new LocalHttpServer.Answer(401, "{\"error\":\"bad credentials " + request.authorization() + "\"}"))) {
            List<String> progress = new ArrayList<>();
            SmokeResult result = SmokeTest.configure().baseUrl(echoing.baseUrl()).bearerToken(Secret.of(token)).progress(progress::add)
                    .check(SmokeCheck.get("auth", "/secure", 200, null)).run();
            assertThat(echoing.received.get(0).authorization()).isEqualTo("Bearer " + token);
            assertThat(result.passed()).isFalse();
            assertThat(Json.write(result)).doesNotContain(token).contains("Bearer ****");
            assertThat(String.join("\n", progress)).doesNotContain(token);
        }
        try (LocalHttpServer basic = new LocalHttpServer((n, request) -> new LocalHttpServer.Answer(
                "Basic dXNlcjpwYXNzd29yZDE=".equals(request.authorization()) ? 200 : 403, "{}"))) {
            Path passwordFile = Files.createTempFile("pw", "");
            Files.writeString(passwordFile, "password1\n");
            SmokeFile file = checks("""
                    auth: {basic: {user: user, password: {file: "%s"}}}
                    checks: [{name: basic, path: /secure, expectStatus: 200}]
                    """.formatted(passwordFile));
            SmokeResult result = file.toSettings().baseUrl(basic.baseUrl()).run();
            assertThat(result.passed()).as(result.summary()).isTrue();
            assertThat(Json.write(file)).doesNotContain("password1");
        }
    }

    @Test
    void aCredentialEchoedAcrossTheBodyExcerptsCutIsNotShownInPart() throws Exception {
        String token = "tok3n-abcdefghijklmnop";
        // the token starts at character 185 of the body; excerpts are cut at 197 characters
        String padding = "x".repeat(185 - "{\"error\":\"Bearer ".length());
        try (LocalHttpServer echoing = new LocalHttpServer((n, request) ->
                new LocalHttpServer.Answer(401, "{\"error\":\"" + padding + request.authorization() + "\"}"))) {
            List<String> progress = new ArrayList<>();
            SmokeResult result = SmokeTest.configure().baseUrl(echoing.baseUrl()).bearerToken(Secret.of(token)).progress(progress::add)
                    .check(SmokeCheck.get("auth", "/secure", 200, null)).run();
            assertThat(result.passed()).isFalse();
            assertThat(Json.write(result)).doesNotContain(token.substring(0, 8)).contains("Bearer ****");
            assertThat(String.join("\n", progress)).doesNotContain(token.substring(0, 8));
        }
    }

    @Test
    void aCredentialEchoedInAJsonValueAnAssertionQuotesIsNotShownInPart() throws Exception {
        String token = "tok3n-abcdefghijklmnop";
        // the quoted value is cut at 117 characters; the token starts at character 100 of it
        String padding = "x".repeat(100 - "\"Bearer ".length());
        try (LocalHttpServer echoing = new LocalHttpServer((n, request) ->
                new LocalHttpServer.Answer(200, "{\"echo\":\"" + padding + request.authorization() + "\"}"))) {
            SmokeResult result = SmokeTest.configure().baseUrl(echoing.baseUrl()).bearerToken(Secret.of(token))
                    .check(SmokeCheck.get("echo", "/echo", 200, List.of(JsonAssertion.equalTo("/echo", "ok")))).run();
            assertThat(result.passed()).isFalse();
            assertThat(Json.write(result)).doesNotContain(token.substring(0, 8)).contains("/echo");
        }
    }

    @Test
    void aSlowAnswerFailsItsLatencyBudget() throws Exception {
        try (LocalHttpServer slow = new LocalHttpServer((n, request) -> {
            Thread.sleep(300);
            return new LocalHttpServer.Answer(200, "{}");
        })) {
            SmokeResult result = SmokeTest.configure().baseUrl(slow.baseUrl()).check(new SmokeCheck("slow", null, null, "/slow", null, null,
                    200, null, null, "50ms", null, null)).run();
            assertThat(result.checks().get(0).failures()).singleElement().asString().contains("over the latency budget of 50 ms");
            assertThat(result.checks().get(0).requests().get(0).durationMs()).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void badChecksAreRefusedBeforeAnyRequestIsSent() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer((n, request) -> new LocalHttpServer.Answer(200, "{}"))) {
            String[][] cases = {
                    {"checks: [{path: /health}]", "has no name"},
                    {"checks: [{name: a, path: health}]", "must be a path starting with /"},
                    {"checks: [{name: a, path: /x, headers: {Authorization: 'Bearer abc'}}]", "credentials do not belong"},
                    {"checks: [{name: a, type: transaction, path: /x}]", "needs a 'poll'"},
                    {"checks: [{name: a, path: /x, poll: {path: /y}}]", "set 'type: transaction'"},
                    {"checks: [{name: a, path: /x, expectJson: [{path: '$..a', equals: 1}]}]", "Unsupported JsonPath"},
                    {"checks: [{name: a, path: /x, latencyBudget: soon}]", "Bad duration"},
                    {"checks: []", "No smoke checks"},
            };
            for (String[] c : cases) {
                assertThatThrownBy(() -> checks(c[0]).toSettings().baseUrl(server.baseUrl()).run())
                        .as(c[0]).isInstanceOf(RunbookException.class).hasMessageContaining(c[1])
                        .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION));
            }
            assertThatThrownBy(() -> checks("checks: [{name: a, path: /x, expectStatuz: 200}]"))
                    .isInstanceOf(RunbookException.class).hasMessageContaining("expectStatuz");
            assertThatThrownBy(() -> checks("checks: [{name: a, type: chaos, path: /x}]"))
                    .isInstanceOf(RunbookException.class).hasMessageContaining("Unknown check type 'chaos'");
            assertThatThrownBy(() -> checks("auth: {bearer: {env: RUNBOOK_SMOKE_NO_SUCH_VARIABLE}}\nchecks: [{name: a, path: /x}]").toSettings())
                    .isInstanceOf(RunbookException.class).hasMessageContaining("RUNBOOK_SMOKE_NO_SUCH_VARIABLE is not set");
            assertThatThrownBy(() -> SmokeTest.configure().baseUrl("ftp://x").check(SmokeCheck.get("a", "/x", null, null)).run())
                    .isInstanceOf(RunbookException.class).hasMessageContaining("http:// or https://");
            assertThat(server.received).isEmpty();
        }
    }
}
