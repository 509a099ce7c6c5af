package io.migrationrunbook.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The demo service: the event-driven system the runbook operates on. {@code POST /transactions} produces to Kafka,
 * the {@code persistence-service} consumer group writes transactions and positions to PostgreSQL idempotently, and
 * {@code /ops/control} pauses and resumes that group with the real {@code KafkaConsumer.pause()}.
 *
 * <pre>
 * try (DemoService service = DemoService.start(new DemoConfig().database(url, user, null).kafka(bootstrap))) {
 *     service.baseUrl(); // http://localhost:PORT
 * }
 * </pre>
 */
public final class DemoService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoService.class);

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body waits for
        // the client's delayed ACK (~40 ms per request). Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final DemoConfig config;
    private final DemoDatabase database;
    private final ServiceStats stats = new ServiceStats();
    private final ConsumerControl control = new ConsumerControl();
    private final List<PersistenceConsumer> consumers = new ArrayList<>();
    private final List<Thread> consumerThreads = new ArrayList<>();
    private KafkaProducer<String, String> producer;
    private HttpServer http;
    private ExecutorService httpExecutor;

    private DemoService(DemoConfig config) {
        this.config = config;
        this.database = new DemoDatabase(config.jdbcUrl(), config.dbUser(), config.dbPassword());
    }

    /** Creates the schema and the topic when absent, starts the consumers and the HTTP API. */
    public static DemoService start(DemoConfig config) {
        config.validate();
        DemoService service = new DemoService(config);
        try {
            service.startAll();
            return service;
        } catch (RuntimeException | IOException | SQLException e) {
            service.close();
            throw new IllegalStateException("Cannot start the demo service (" + config + "): " + e.getMessage(), e);
        }
    }

    private void startAll() throws IOException, SQLException {
        database.createBaselineSchema();
        createTopicIfAbsent();
        producer = new KafkaProducer<>(producerProperties(config.bootstrapServers()));
        for (int i = 0; i < config.consumers(); i++) {
            PersistenceConsumer consumer = new PersistenceConsumer(config, database, control, stats, JSON, i);
            consumers.add(consumer);
            Thread thread = new Thread(consumer, "demo-" + consumer.name());
            thread.setDaemon(true);
            consumerThreads.add(thread);
            thread.start();
        }
        http = HttpServer.create(new InetSocketAddress("localhost", config.httpPort()), 256);
        httpExecutor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "demo-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(httpExecutor);
        new DemoHttpApi(this).register(http);
        http.start();
        LOG.info("Demo service listening on {} ({})", baseUrl(), config);
    }

    static Properties producerProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    private void createTopicIfAbsent() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(config.topic(), config.topicPartitions(), (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + config.topic() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot reach Kafka at " + config.bootstrapServers() + " to create topic " + config.topic()
                    + ": " + e.getMessage(), e);
        }
    }

    public DemoConfig config() {
        return config;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public ServiceStats.Snapshot stats() {
        return stats.snapshot();
    }

    DemoDatabase database() {
        return database;
    }

    ServiceStats statsRecorder() {
        return stats;
    }

    KafkaProducer<String, String> producer() {
        return producer;
    }

    /** The requested and the effective mode, as the consumer threads last published it. */
    public ControlStatus control() {
        boolean requestedPaused = control.pausedRequested();
        Set<String> assigned = new TreeSet<>();
        Set<String> paused = new TreeSet<>();
        int pausedCount = 0;
        int normalCount = 0;
        boolean anyStopped = false;
        for (PersistenceConsumer consumer : consumers) {
            PersistenceConsumer.State state = consumer.state();
            assigned.addAll(state.assigned());
            paused.addAll(state.pausedPartitions());
            if (!state.alive()) {
                anyStopped = true;
            } else if (state.paused()) {
                pausedCount++;
            } else if (state.pausedPartitions().isEmpty()) {
                normalCount++;
            }
        }
        String effective;
        if (anyStopped) {
            effective = "stopped";
        } else if (pausedCount == consumers.size()) {
            effective = ControlStatus.PAUSED;
        } else if (normalCount == consumers.size() && !requestedPaused) {
            effective = ControlStatus.NORMAL;
        } else {
            effective = requestedPaused ? "pausing" : "resuming";
        }
        return new ControlStatus(requestedPaused ? ControlStatus.PAUSED : ControlStatus.NORMAL, effective,
                List.copyOf(assigned), List.copyOf(paused), consumers.size());
    }

    /**
     * Requests a mode and waits (up to the configured control timeout) until every consumer thread has applied it;
     * returns the status either way: check {@link ControlStatus#settled()}.
     */
    public ControlStatus setMode(String mode) {
        boolean paused = switch (mode == null ? "" : mode.trim().toLowerCase()) {
            case ControlStatus.PAUSED -> true;
            case ControlStatus.NORMAL -> false;
            default -> throw new IllegalArgumentException("mode must be \"normal\" or \"paused\", got \"" + mode + "\"");
        };
        control.request(paused);
        consumers.forEach(PersistenceConsumer::wakeUp);
        long deadline = System.nanoTime() + config.controlTimeout().toNanos();
        ControlStatus status = control();
        while (!status.settled() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = control();
        }
        return status;
    }

    public ControlStatus pause() {
        return setMode(ControlStatus.PAUSED);
    }

    public ControlStatus resume() {
        return setMode(ControlStatus.NORMAL);
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
        if (httpExecutor != null) {
            httpExecutor.shutdownNow();
        }
        consumers.forEach(PersistenceConsumer::stop);
        for (Thread thread : consumerThreads) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Runs the service standalone until interrupted. The database password comes from {@code PGPASSWORD} (never a flag).
     * <pre>java -cp ... io.migrationrunbook.demo.DemoService --db-url jdbc:postgresql://localhost:5432/app --db-user app
     *     --kafka localhost:9092 [--port 8080] [--topic transactions] [--group persistence-service]
     *     [--group-protocol classic|consumer] [--consumers 1] [--partitions 3]</pre>
     */
    public static void main(String[] args) throws InterruptedException {
        DemoConfig config = parseArgs(args, System.getenv("PGPASSWORD"));
        DemoService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "demo-service-stop"));
        System.out.println("Demo service listening on " + service.baseUrl());
        Thread.currentThread().join();
    }

    static DemoConfig parseArgs(String[] args, String password) {
        DemoConfig config = new DemoConfig();
        String url = null;
        String user = "postgres";
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> config.httpPort(Integer.parseInt(value));
                case "--db-url" -> url = value;
                case "--db-user" -> user = value;
                case "--kafka" -> config.kafka(value);
                case "--topic" -> config.topic(value);
                case "--group" -> config.groupId(value);
                case "--group-protocol" -> config.groupProtocol(value);
                case "--consumers" -> config.consumers(Integer.parseInt(value));
                case "--partitions" -> config.topicPartitions(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("Unknown option " + flag);
            }
        }
        return config.database(url, user, password);
    }
}
