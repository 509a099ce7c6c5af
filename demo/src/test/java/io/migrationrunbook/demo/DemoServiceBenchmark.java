package io.migrationrunbook.demo;

import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures of the demo service, printed, no timed assertions: how long {@code PUT /ops/control} takes to reach the
 * effective mode under load, how fast a paused backlog drains, and what the HTTP ingestion sustains. Run with
 * {@code mvn -B -q -pl demo -am test -Dtest=DemoServiceBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (output in demo/target/surefire-reports/io.migrationrunbook.demo.DemoServiceBenchmark-output.txt).
 */
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class DemoServiceBenchmark {

    @ParameterizedTest
    @EnumSource(DemoConfig.GroupProtocol.class)
    void pauseLatencyDrainRateAndIngestion(DemoConfig.GroupProtocol protocol, TestDatabase db, KafkaBroker kafka) throws Exception {
        try (DemoService service = DemoServiceTest.startService(db, kafka, protocol)) {
            DemoServiceTest.await("partitions assigned", Duration.ofSeconds(20), () -> service.control().assignedPartitions().size() == 3);

            // 1. pause / resume to the effective mode, over HTTP, while 200 events/s arrive
            List<Long> pauseMs = new ArrayList<>();
            List<Long> resumeMs = new ArrayList<>();
            try (SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 200).start()) {
                Thread.sleep(500);
                for (int i = 0; i < 10; i++) {
                    long t = System.nanoTime();
                    DemoServiceTest.Reply paused = DemoServiceTest.call("PUT", service.baseUrl() + "/ops/control", "{\"mode\":\"paused\"}", null);
                    pauseMs.add((System.nanoTime() - t) / 1_000_000);
                    assertThat(paused.body().get("effective").asText()).isEqualTo("paused");
                    Thread.sleep(100);
                    t = System.nanoTime();
                    DemoServiceTest.Reply resumed = DemoServiceTest.call("PUT", service.baseUrl() + "/ops/control", "{\"mode\":\"normal\"}", null);
                    resumeMs.add((System.nanoTime() - t) / 1_000_000);
                    assertThat(resumed.body().get("effective").asText()).isEqualTo("normal");
                    Thread.sleep(100);
                }
                SteadyLoad.Produced produced = load.stop();
                try (Connection c = db.connect()) {
                    assertThat(DeliveryVerifier.awaitAllProcessed(c, produced, Duration.ofSeconds(30)).exactlyOnce()).isTrue();
                }
            }

            // 2. a backlog built while paused, drained after resume
            int backlog = 5000;
            service.pause();
            SteadyLoad direct = SteadyLoad.directToKafka(kafka.bootstrapServers(), service.config().topic(), 10_000);
            direct.sendNow(backlog);
            SteadyLoad.Produced produced = direct.stop();
            long before = service.stats().eventsProcessed();
            long t = System.nanoTime();
            service.resume();
            DemoServiceTest.await("backlog drained", Duration.ofSeconds(120), () -> service.stats().eventsProcessed() >= before + backlog);
            double drainSeconds = (System.nanoTime() - t) / 1e9;
            try (Connection c = db.connect()) {
                assertThat(DeliveryVerifier.verify(c, produced).exactlyOnce()).isTrue();
            }

            // 3. HTTP ingestion at a requested 500 events/s for 3 s (one client thread)
            long t3 = System.nanoTime();
            SteadyLoad http = SteadyLoad.overHttp(service.baseUrl(), 500).start();
            Thread.sleep(3000);
            SteadyLoad.Produced ingested = http.stop();
            double ingestSeconds = (System.nanoTime() - t3) / 1e9;

            System.out.printf("DemoService [%s]: PUT /ops/control to effective under 200 events/s: pause median %d ms (max %d), "
                            + "resume median %d ms (max %d); backlog of %d drained in %.2f s (%.0f events/s, one consumer, batches of 200); "
                            + "HTTP ingestion %.0f events/s acknowledged (requested 500/s, %d failed%s)%n",
                    protocol.configValue(), median(pauseMs), Collections.max(pauseMs), median(resumeMs), Collections.max(resumeMs),
                    backlog, drainSeconds, backlog / drainSeconds, ingested.count() / ingestSeconds, ingested.failedSends(),
                    ingested.lastFailure() == null ? "" : ": " + ingested.lastFailure());
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
