package io.migrationrunbook.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link DemoService} instance, fluent in the style of Flyway's configuration: where PostgreSQL and
 * Kafka are, which HTTP port to listen on, and how the persistence consumer group behaves.
 */
public final class DemoConfig {

    /** The two consumer group protocols of Kafka 4: the classic rebalance protocol and KIP-848's {@code consumer}. */
    public enum GroupProtocol {
        CLASSIC, CONSUMER;

        public String configValue() {
            return name().toLowerCase();
        }

        public static GroupProtocol parse(String value) {
            for (GroupProtocol p : values()) {
                if (p.configValue().equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("Unknown group protocol '" + value + "': use classic or consumer.");
        }
    }

    private int httpPort = 0;
    private String jdbcUrl;
    private String dbUser = "postgres";
    private String dbPassword;
    private String bootstrapServers;
    private String topic = "transactions";
    private int topicPartitions = 3;
    private String groupId = "persistence-service";
    private GroupProtocol groupProtocol = GroupProtocol.CLASSIC;
    private int consumers = 1;
    private int maxPollRecords = 200;
    private Duration controlTimeout = Duration.ofSeconds(10);
    private Duration retryBackoff = Duration.ofMillis(500);

    /** Port 0 (the default) picks a free one; read it back with {@link DemoService#port()}. */
    public DemoConfig httpPort(int port) {
        this.httpPort = port;
        return this;
    }

    /** The PostgreSQL database the persistence consumers write to; {@code password} may be null (trust auth). */
    public DemoConfig database(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.dbUser = user;
        this.dbPassword = password;
        return this;
    }

    public DemoConfig kafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    public DemoConfig topic(String topic) {
        this.topic = topic;
        return this;
    }

    /** Partitions of the topic when the service creates it (an existing topic is left as it is). */
    public DemoConfig topicPartitions(int partitions) {
        this.topicPartitions = partitions;
        return this;
    }

    public DemoConfig groupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    public DemoConfig groupProtocol(GroupProtocol protocol) {
        this.groupProtocol = Objects.requireNonNull(protocol);
        return this;
    }

    public DemoConfig groupProtocol(String protocol) {
        return groupProtocol(GroupProtocol.parse(protocol));
    }

    /** Consumer threads in the group (each its own KafkaConsumer); 1 by default. */
    public DemoConfig consumers(int consumers) {
        this.consumers = consumers;
        return this;
    }

    public DemoConfig maxPollRecords(int maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
        return this;
    }

    /** How long {@code PUT /ops/control} waits for the consumer threads to apply a mode before answering. */
    public DemoConfig controlTimeout(Duration timeout) {
        this.controlTimeout = timeout;
        return this;
    }

    /** Wait after a failed database transaction before the batch is fetched again. */
    public DemoConfig retryBackoff(Duration backoff) {
        this.retryBackoff = backoff;
        return this;
    }

    void validate() {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("The demo service needs a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), got " + jdbcUrl);
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("The demo service needs Kafka bootstrap servers (host:port).");
        }
        if (consumers < 1 || topicPartitions < 1 || maxPollRecords < 1) {
            throw new IllegalArgumentException("consumers, topicPartitions and maxPollRecords must be at least 1.");
        }
        if (topic == null || topic.isBlank() || groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("Topic and consumer group id must not be blank.");
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    String dbPassword() {
        return dbPassword;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topic() {
        return topic;
    }

    public int topicPartitions() {
        return topicPartitions;
    }

    public String groupId() {
        return groupId;
    }

    public GroupProtocol groupProtocol() {
        return groupProtocol;
    }

    public int consumers() {
        return consumers;
    }

    public int maxPollRecords() {
        return maxPollRecords;
    }

    public Duration controlTimeout() {
        return controlTimeout;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    @Override
    public String toString() {
        // no password here: this string ends up in logs
        return "DemoConfig[http=" + httpPort + ", db=" + dbUser + "@" + jdbcUrl + ", kafka=" + bootstrapServers + ", topic=" + topic
                + ", group=" + groupId + " (" + groupProtocol.configValue() + "), consumers=" + consumers + "]";
    }
}
