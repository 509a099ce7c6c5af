package io.migrationrunbook.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security: secrets given to `runbook run` (database password, smoke API bearer token, webhook URL with its token) are
 * used (the service saw the token, the webhook was called) but never appear in stdout, stderr, the logs, report.json,
 * report.html or anything else the run wrote — on the success path and on a failing one. And: a bad plan is refused
 * (exit 2) before any side effect — no backup file, no pause state, no schema change, no notification.
 *
 * <p>The embedded server trusts local connections, so the role's password is not checked by the server; it still
 * flows through every place a password goes (JDBC properties, pg_dump's PGPASSFILE, error messages). pg_dump's
 * arguments and environment while it runs: {@code BackupSafetyTest.thePasswordNeverAppearsInPgDumpsArgumentsOrEnvironmentAndThePassfileIsDeleted}.
 */
@ExtendWith(PostgresExtension.class)
class SecretsAndBadPlansTest {

    static final String DB_PASSWORD = "db-pw-Zq81mXr4";
    static final String API_TOKEN = "api-tok-9Hh2LpQe";
    static final String WEBHOOK_TOKEN = "hook-tok-Xy7Vb3Nd";

    /** The API under smoke test and the chat webhook, on one JDK HTTP server. */
    static final class FakeServices implements AutoCloseable {
        final HttpServer server;
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final List<String> webhookCalls = new CopyOnWriteArrayList<>();
        volatile int healthStatus = 200;

        FakeServices() throws IOException {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/health", this::health);
            server.createContext("/hooks/", this::hook);
            server.start();
        }

        String baseUrl() {
            return "http://localhost:" + server.getAddress().getPort();
        }

        String webhookUrl() {
            return baseUrl() + "/hooks/T0001/" + WEBHOOK_TOKEN;
        }

        private void health(HttpExchange exchange) throws IOException {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String correlation = exchange.getRequestHeaders().getFirst("X-Correlation-ID");
            if (correlation != null) {
                exchange.getResponseHeaders().set("X-Correlation-ID", correlation);
            }
            answer(exchange, healthStatus, healthStatus == 200 ? "{\"status\":\"UP\"}" : "{\"error\":\"database down\"}");
        }

        private void hook(HttpExchange exchange) throws IOException {
            webhookCalls.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 200, "ok");
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Captures what the process writes to System.out/System.err (the logs) while the CLI runs in-process. */
    static final class CapturedStreams implements AutoCloseable {
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

        CapturedStreams() {
            System.setOut(new PrintStream(tee(out), true));
            System.setErr(new PrintStream(tee(err), true));
        }

        private OutputStream tee(OutputStream original) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    original.write(b);
                    synchronized (captured) {
                        captured.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    original.write(b, off, len);
                    synchronized (captured) {
                        captured.write(b, off, len);
                    }
                }
            };
        }

        String text() {
            synchronized (captured) {
                return captured.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String role(TestDatabase db) {
        String role = "app_" + db.name();
        db.execute("CREATE ROLE " + role + " WITH LOGIN PASSWORD '" + DB_PASSWORD + "'",
                "ALTER DATABASE " + db.name() + " OWNER TO " + role, "ALTER SCHEMA public OWNER TO " + role);
        return role;
    }

    /** A plan with every kind of secret, each from a file. */
    private static Path plan(Path dir, TestDatabase db, String role, FakeServices services, String extra) throws IOException {
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/V1__create_accounts.sql"), "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text);\n"
                + "INSERT INTO accounts SELECT g, md5(g::text) FROM generate_series(1, 100) g;");
        Files.writeString(dir.resolve("db-password"), DB_PASSWORD + "\n");
        Files.writeString(dir.resolve("api-token"), API_TOKEN + "\n");
        Files.writeString(dir.resolve("webhook-url"), services.webhookUrl() + "\n");
        Files.writeString(dir.resolve("smoke.yaml"), """
                auth: {bearer: {file: %s}}
                retries: {attempts: 2, backoff: 100ms}
                timeout: 5s
                checks:
                  - name: health
                    path: /health
                    expectStatus: 200
                    echoCorrelationId: true
                """.formatted(dir.resolve("api-token")));
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                name: "secrets stay secret"
                database: {url: "%s", user: %s, password: {file: %s}}
                migrations: {locations: [filesystem:migrations], lockTimeout: 2s}
                backup: {directory: %s}
                verify: {rowCounts: true, assertions: ["SELECT id FROM accounts WHERE owner IS NULL"]}
                smoke: {baseUrl: "%s", checks: smoke.yaml}
                notifications:
                  - {name: ops, format: slack, url: {file: %s}}
                %s""".formatted(db.jdbcUrl(), role, dir.resolve("db-password"), dir.resolve("backups"), services.baseUrl(),
                dir.resolve("webhook-url"), extra));
        return plan;
    }

    /** Every file the run wrote under {@code out} (reports, state), as text. */
    private static String writtenText(Path out) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json") || name.endsWith(".html") || name.endsWith(".txt") || name.endsWith(".log")) {
                    text.append(Files.readString(file)).append('\n');
                }
            }
        }
        return text.toString();
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : List.of(DB_PASSWORD, API_TOKEN, WEBHOOK_TOKEN)) {
            assertThat(text).as(where + " must not contain the secret " + secret).doesNotContain(secret);
        }
    }

    @Test
    void secretsAreUsedButNeverShownOnTheSuccessAndTheFailurePath(TestDatabase db, @TempDir Path dir) throws Exception {
        String role = role(db);
        try (FakeServices services = new FakeServices()) {
            Path plan = plan(dir, db, role, services, "");
            Path out = dir.resolve("out");
            CliRun run;
            String logs;
            try (CapturedStreams streams = new CapturedStreams()) {
                run = CliRun.of("run", "--plan", plan.toString(), "--out", out.toString(), "--approve-as", "security-test", "--json");
                logs = streams.text();
            }
            assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
            assertThat(services.authorizations).as("the token was sent").contains("Bearer " + API_TOKEN);
            assertThat(services.webhookCalls).as("the webhook was called").isNotEmpty();
            assertThat(out.resolve("report.json")).exists();
            assertThat(out.resolve("report.html")).exists();
            assertNoSecret("stdout", run.out());
            assertNoSecret("stderr", run.err());
            assertNoSecret("logs", logs);
            assertNoSecret("files the run wrote", writtenText(out));
            assertNoSecret("backup sidecar", writtenText(dir.resolve("backups")));

            // failure path: the API answers 500 on every attempt; error messages quote URLs and responses. The first
            // run's backup moves away: backup names have a one-second resolution and a backup never overwrites one.
            Files.move(dir.resolve("backups"), dir.resolve("backups-first-run"));
            services.healthStatus = 500;
            Path failedOut = dir.resolve("out-failed");
            try (CapturedStreams streams = new CapturedStreams()) {
                run = CliRun.of("run", "--plan", plan.toString(), "--out", failedOut.toString(), "--approve-as", "security-test", "--json");
                logs = streams.text();
            }
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            String report = Files.readString(failedOut.resolve("report.json"));
            assertThat(report).contains("smokeTestApi").contains("TEST:").contains("500");
            assertNoSecret("stdout (failed run)", run.out());
            assertNoSecret("stderr (failed run)", run.err());
            assertNoSecret("logs (failed run)", logs);
            assertNoSecret("files the failed run wrote", writtenText(failedOut));
            assertNoSecret("webhook payloads", String.join("\n", services.webhookCalls));
        }
    }

    @Test
    void everyBadPlanIsRefusedBeforeAnySideEffect(TestDatabase db, @TempDir Path dir) throws Exception {
        String role = role(db);
        try (FakeServices services = new FakeServices()) {
            Map<String, String> badPlans = Map.of(
                    "unknown key", "surprise: true",
                    "missing consumers file", "consumers: {config: no-such-consumers.yaml, pause: always, stateDir: " + dir.resolve("state") + "}",
                    "bad duration", "lag: {samples: 3, interval: soon, deadline: 1m}",
                    "missing secret file", "logs: {splunkUrl: \"https://splunk:8089\", token: {file: " + dir.resolve("no-such-token") + "}, query: x}");
            for (Map.Entry<String, String> bad : badPlans.entrySet()) {
                Path plan = plan(dir, db, role, services, bad.getValue());
                Path out = dir.resolve("out-" + bad.getKey().replace(' ', '-'));
                CliRun run = CliRun.of("run", "--plan", plan.toString(), "--out", out.toString(), "--approve-as", "t", "--json");

                assertThat(run.exitCode()).as(bad.getKey() + ": " + run.err()).isEqualTo(2);
                assertThat(run.err() + run.out()).as(bad.getKey()).isNotBlank();
                assertThat(dir.resolve("backups")).as(bad.getKey() + ": no backup").doesNotExist();
                assertThat(dir.resolve("state")).as(bad.getKey() + ": no pause state").doesNotExist();
                assertThat(db.queryLong("SELECT count(*) FROM pg_tables WHERE tablename IN ('accounts', 'flyway_schema_history')"))
                        .as(bad.getKey() + ": no schema change").isZero();
                assertThat(services.authorizations).as(bad.getKey() + ": no smoke request").isEmpty();
                assertThat(services.webhookCalls).as(bad.getKey() + ": no notification").isEmpty();
                assertNoSecret(bad.getKey() + ": stderr", run.err());
            }
        }
    }
}
