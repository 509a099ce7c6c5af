package io.migrationrunbook.demo;

import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static io.migrationrunbook.demo.DemoServiceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo service's PostgreSQL is killed (SIGKILL to the postmaster and every backend) while its consumer is writing
 * under a steady load, and restarted on the same data directory and port. The consumer thread survives: its writes fail
 * (its connection is dead, then refused, then "starting up") and are retried without committing Kafka offsets, and once
 * the server is back every event produced before, during and after the outage is processed exactly once.
 * (Under `runbook run` the consumers are paused through the crash: `cli/.../PostgresCrashUnderRunTest`.)
 *
 * <p>A private server with {@code synchronous_commit} on for the service's database: the test servers turn it off, and
 * under it a commit acknowledged just before the crash may be lost — a test-server artifact, not what production runs.
 */
@ExtendWith(KafkaExtension.class)
class DemoServiceDatabaseCrashTest {

    @Test
    void theConsumerRetriesThroughAServerCrashAndRestartAndLosesNothing(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        PostgresServer server = PostgresServer.startEmbedded(data, 0);
        int port = server.port();
        String database = server.createDatabase("demo_crash");
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " SET synchronous_commit = on");
        }
        PostgresServer restarted = null;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (DemoService service = DemoService.start(new DemoConfig().database(server.jdbcUrl(database), server.user(), null)
                .kafka(kafka.bootstrapServers()).topic("crash-" + suffix).groupId("crash-" + suffix).retryBackoff(Duration.ofMillis(200)))) {
            await("three partitions assigned", Duration.ofSeconds(60), () -> service.control().assignedPartitions().size() == 3);
            SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 40).start();
            await("events processed before the crash", Duration.ofSeconds(60), () -> service.stats().eventsProcessed() >= 20);

            server.kill();
            long failuresAtCrash = service.stats().databaseFailures();
            // the load goes on (the API only produces to Kafka) while the consumer's writes fail and are retried
            await("the consumer's writes fail while the server is down", Duration.ofSeconds(60),
                    () -> service.stats().databaseFailures() >= failuresAtCrash + 3);

            restarted = PostgresServer.startEmbedded(data, port);
            long processedAtRestart = service.stats().eventsProcessed();
            await("processing goes on after the restart", Duration.ofSeconds(60),
                    () -> service.stats().eventsProcessed() > processedAtRestart + 20);
            SteadyLoad.Produced produced = load.stop();

            try (Connection c = restarted.connect(database)) {
                DeliveryVerifier.DeliveryReport report = DeliveryVerifier.awaitAllProcessed(c, produced, Duration.ofSeconds(90));
                assertThat(report.exactlyOnce()).as(report.toString()).isTrue();
                assertThat(report.produced()).isGreaterThan(40);
            }
            assertThat(service.control().effective()).as("the consumer thread is alive and running").isEqualTo(ControlStatus.NORMAL);
            System.out.println("database failures retried: " + service.stats().databaseFailures() + ", last error: " + service.stats().lastError());
        } finally {
            if (restarted != null) {
                restarted.close();
            } else {
                server.close();
            }
        }
    }
}
