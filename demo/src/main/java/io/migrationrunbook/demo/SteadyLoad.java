package io.migrationrunbook.demo;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces transactions at a steady rate — through the service's {@code POST /transactions} or straight to the topic —
 * and records the id of every event that was acknowledged (202 from the API, or the broker's ack), so a
 * {@link DeliveryVerifier} can prove afterwards that each was processed exactly once. Events belong to portfolios of
 * their own ({@code <runId>-P<n>}) and each carries quantity 1, so the positions table counts how often they were applied.
 *
 * <pre>
 * try (SteadyLoad load = SteadyLoad.overHttp(service.baseUrl(), 50).start()) {
 *     ... pause, migrate, resume ...
 *     load.stop();
 *     DeliveryReport report = DeliveryVerifier.awaitAllProcessed(connection, load.produced(), Duration.ofSeconds(20));
 * }
 * </pre>
 */
public final class SteadyLoad implements AutoCloseable {

    /** What a load produced: the acknowledged event ids, the portfolios it wrote to, and how many sends failed. */
    public record Produced(String runId, List<String> eventIds, List<String> portfolioIds, long failedSends, String lastFailure) {
        public long count() {
            return eventIds.size();
        }
    }

    private interface Sender {
        void send(TransactionEvent event) throws Exception;

        default void close() {
        }
    }

    static final int MAX_IN_FLIGHT = 128;

    private final String runId = "load-" + UUID.randomUUID().toString().substring(0, 8);
    private final double eventsPerSecond;
    private final int portfolios;
    private final Sender sender;
    private final List<String> acknowledged = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private ScheduledExecutorService scheduler;

    private SteadyLoad(double eventsPerSecond, int portfolios, java.util.function.Function<SteadyLoad, Sender> sender) {
        if (eventsPerSecond <= 0 || eventsPerSecond > 10_000) {
            throw new IllegalArgumentException("eventsPerSecond must be in (0, 10000], got " + eventsPerSecond);
        }
        this.eventsPerSecond = eventsPerSecond;
        this.portfolios = portfolios;
        this.sender = sender.apply(this);
    }

    /** Posts each event to {@code baseUrl + "/transactions"}; an event counts as produced on a 202. */
    public static SteadyLoad overHttp(String baseUrl, double eventsPerSecond) {
        return new SteadyLoad(eventsPerSecond, 4, load -> load.httpSender(baseUrl));
    }

    /** Produces each event straight to the topic (as the service would); an event counts as produced on the broker's ack. */
    public static SteadyLoad directToKafka(String bootstrapServers, String topic, double eventsPerSecond) {
        return new SteadyLoad(eventsPerSecond, 4, load -> load.kafkaSender(bootstrapServers, topic));
    }

    public String runId() {
        return runId;
    }

    public double eventsPerSecond() {
        return eventsPerSecond;
    }

    /** Starts sending on a background thread at the configured rate. */
    public synchronized SteadyLoad start() {
        if (scheduler != null) {
            throw new IllegalStateException("This load is already running");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "steady-load-" + runId);
            t.setDaemon(true);
            return t;
        });
        long periodNanos = (long) (1_000_000_000L / eventsPerSecond);
        scheduler.scheduleAtFixedRate(this::sendNext, 0, periodNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Sends {@code count} events now, on the caller's thread (sample data, tests). */
    public SteadyLoad sendNow(int count) {
        for (int i = 0; i < count; i++) {
            sendNext();
        }
        return this;
    }

    /** Stops sending and waits for the last acknowledgements; idempotent. */
    public synchronized Produced stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sender.close();
        return produced();
    }

    /** The acknowledged events so far. */
    public Produced produced() {
        List<String> ids;
        synchronized (acknowledged) {
            ids = List.copyOf(acknowledged);
        }
        List<String> portfolioIds = new ArrayList<>();
        for (int i = 0; i < portfolios; i++) {
            portfolioIds.add(portfolioId(i));
        }
        return new Produced(runId, ids, List.copyOf(portfolioIds), failures.get(), lastFailure.get());
    }

    @Override
    public void close() {
        stop();
    }

    private String portfolioId(long n) {
        return runId + "-P" + (n % portfolios);
    }

    private void sendNext() {
        long n = sequence.incrementAndGet();
        String id = runId + "-" + String.format("%07d", n);
        TransactionEvent event = new TransactionEvent(id, id, portfolioId(n), "SEC-" + (n % 5), BigDecimal.ONE,
                BigDecimal.valueOf(100 + n % 7), "LOAD:" + id, Instant.now());
        try {
            sender.send(event);
        } catch (Exception e) {
            failed(e);
        }
    }

    private void acknowledged(String eventId) {
        synchronized (acknowledged) {
            acknowledged.add(eventId);
        }
    }

    private void failed(Throwable e) {
        failures.incrementAndGet();
        lastFailure.set(e.toString());
    }

    /**
     * Posts asynchronously so a slow answer does not lower the rate (at most {@value #MAX_IN_FLIGHT} requests in flight; beyond that the
     * sender waits, and the rate drops rather than the memory grows). {@link #stop()} waits for every answer.
     */
    private Sender httpSender(String baseUrl) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(baseUrl.replaceAll("/+$", "") + "/transactions");
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        return new Sender() {
            @Override
            public void send(TransactionEvent event) throws Exception {
                String body = DemoService.JSON.writeValueAsString(Map.of(
                        "transactionId", event.transactionId(), "eventId", event.eventId(), "portfolioId", event.portfolioId(),
                        "securityId", event.securityId(), "quantity", event.quantity(), "price", event.price()));
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header(TransactionEvent.CORRELATION_HEADER, event.correlationId())
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build();
                inFlight.acquire();
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    try {
                        if (error != null) {
                            failed(error);
                        } else if (response.statusCode() == 202) {
                            acknowledged(event.eventId());
                        } else {
                            failed(new IllegalStateException("POST /transactions answered " + response.statusCode() + ": " + response.body()));
                        }
                    } finally {
                        inFlight.release();
                    }
                });
            }

            @Override
            public void close() {
                try {
                    // every answer is in (acknowledged or failed) once all permits are back
                    if (inFlight.tryAcquire(MAX_IN_FLIGHT, 30, TimeUnit.SECONDS)) {
                        inFlight.release(MAX_IN_FLIGHT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private Sender kafkaSender(String bootstrapServers, String topic) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(DemoService.producerProperties(bootstrapServers));
        return new Sender() {
            @Override
            public void send(TransactionEvent event) throws Exception {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.portfolioId(), DemoService.JSON.writeValueAsString(event));
                record.headers().add(TransactionEvent.CORRELATION_HEADER, event.correlationId().getBytes(StandardCharsets.UTF_8));
                record.headers().add(TransactionEvent.EVENT_ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acknowledged(event.eventId());
                    } else {
                        failed(error);
                    }
                });
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(20)); // flushes: every send is acknowledged or failed after this
            }
        };
    }
}
