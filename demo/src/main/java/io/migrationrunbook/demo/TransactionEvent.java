package io.migrationrunbook.demo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One transaction as it travels on the topic. {@code eventId} is the idempotency key: the request's {@code eventId}, or
 * else its {@code transactionId}, so posting the same transaction twice is one event applied once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TransactionEvent(
        String eventId,
        String transactionId,
        String portfolioId,
        String securityId,
        BigDecimal quantity,
        BigDecimal price,
        String correlationId,
        Instant ingestedAt) {

    public static final String CORRELATION_HEADER = "X-Correlation-ID";
    public static final String EVENT_ID_HEADER = "event-id";
}
