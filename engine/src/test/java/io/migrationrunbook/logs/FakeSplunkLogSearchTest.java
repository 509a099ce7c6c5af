package io.migrationrunbook.logs;

import com.sun.net.httpserver.HttpServer;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A fake of Splunk (a SaaS/enterprise server that cannot run here): a local HTTP server that speaks the REST search
 * export's shape — form-encoded POST to /services/search/jobs/export, newline-delimited JSON results with preview rows.
 */
class FakeSplunkLogSearchTest {

    private HttpServer splunk;
    private final Map<String, String> lastForm = new HashMap<>();
    private String lastAuthorization;
    private String answer;

    @BeforeEach
    void start() throws Exception {
        splunk = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        splunk.createContext("/services/search/jobs/export", exchange -> {
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                lastForm.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            if (!"Bearer good-token".equals(lastAuthorization)) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        splunk.start();
    }

    @AfterEach
    void stop() {
        splunk.stop(0);
    }

    private String url() {
        return "http://localhost:" + splunk.getAddress().getPort();
    }

    @Test
    void aRefusedSearchReleasesTheConnection() throws Exception {
        // an error page far larger than the socket buffers: the server can finish writing it only when the client
        // reads it or closes the connection, so a leaked response body leaves the server's write hanging
        CountDownLatch written = new CountDownLatch(1);
        HttpServer failing = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        failing.createContext("/services/search/jobs/export", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                byte[] chunk = new byte[64 * 1024];
                exchange.sendResponseHeaders(500, 0);
                for (int i = 0; i < 512; i++) {
                    exchange.getResponseBody().write(chunk);
                }
            } catch (java.io.IOException closedByTheClient) {
                // what a client that lets go of the connection causes
            } finally {
                written.countDown();
                exchange.close();
            }
        });
        failing.start();
        try {
            assertThatThrownBy(() -> SplunkLogSearch.withToken("http://localhost:" + failing.getAddress().getPort(),
                    Secret.of("good-token")).search("index=app", Instant.EPOCH, Instant.EPOCH, 1))
                    .isInstanceOf(RunbookException.class).hasMessageContaining("answered HTTP 500");
            assertThat(written.await(30, TimeUnit.SECONDS)).as("the client closed the refused response").isTrue();
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void countsFinalResultsSinceTheMigrationStartedAndKeepsSamples() {
        answer = """
                {"preview":true,"offset":0,"result":{"_raw":"partial"}}
                {"preview":false,"offset":0,"result":{"_raw":"ERROR persistence-service deadlock detected corr=TEST:1","_time":"2026-11-26T10:00:01Z"}}
                {"preview":false,"offset":1,"result":{"_raw":"ERROR ingestion timeout corr=TEST:2","_time":"2026-11-26T10:00:02Z"}}
                {"preview":false,"offset":2,"result":{"_raw":"ERROR third","_time":"2026-11-26T10:00:03Z"}}
                {"preview":false,"lastrow":true}
                """;
        Instant from = Instant.parse("2026-11-26T10:00:00Z");
        Instant to = Instant.parse("2026-11-26T10:10:00Z");
        LogSearchResult result = SplunkLogSearch.withToken(url(), Secret.of("good-token"))
                .search("index=app level=ERROR", from, to, 2);

        assertThat(result.count()).isEqualTo(3);
        assertThat(result.samples()).containsExactly("ERROR persistence-service deadlock detected corr=TEST:1",
                "ERROR ingestion timeout corr=TEST:2");
        assertThat(lastForm).containsEntry("search", "search index=app level=ERROR")
                .containsEntry("output_mode", "json")
                .containsEntry("earliest_time", Long.toString(from.getEpochSecond()));
        assertThat(result.within(5).passed()).isTrue();
        LogSearchResult.Verdict tooMany = result.within(2);
        assertThat(tooMany.passed()).isFalse();
        assertThat(tooMany.message()).contains("3 event(s)").contains("more than the 2 allowed");
    }

    @Test
    void refusedCredentialsAreAnEnvironmentErrorThatDoesNotQuoteTheToken() {
        answer = "";
        assertThatThrownBy(() -> SplunkLogSearch.withToken(url(), Secret.of("wrong-token-xyz"))
                .search("index=app level=ERROR", Instant.now().minusSeconds(60), Instant.now(), 3))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                .hasMessageContaining("HTTP 401").hasMessageNotContaining("wrong-token-xyz");
    }

    @Test
    void aQueryThatIsAlreadyACommandIsSentAsIs() {
        assertThat(SplunkLogSearch.searchCommand("| tstats count where index=app")).isEqualTo("| tstats count where index=app");
        assertThat(SplunkLogSearch.searchCommand("search index=app")).isEqualTo("search index=app");
    }

    @Test
    void anUnreachableSplunkIsAnEnvironmentError() {
        assertThatThrownBy(() -> SplunkLogSearch.withToken("http://localhost:1", Secret.of("t"))
                .search("x", Instant.now(), Instant.now(), 1))
                .isInstanceOf(RunbookException.class).hasMessageContaining("Cannot reach Splunk at localhost:1");
    }

    @Test
    void aUrlCarryingCredentialsIsRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> SplunkLogSearch.withToken("https://admin:hunter2@splunk:8089", Secret.of("t")))
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("must look like").hasMessageNotContaining("hunter2").hasMessageNotContaining("admin:");
    }
}
