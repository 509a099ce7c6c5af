-- Version 1: the schema the ingestion service was first deployed with (it also creates it on start when absent).
CREATE TABLE IF NOT EXISTS transactions (
    transaction_id  text PRIMARY KEY,
    event_id        text NOT NULL,
    portfolio_id    text NOT NULL,
    security_id     text NOT NULL,
    quantity        numeric(24, 6) NOT NULL,
    price           numeric(24, 6) NOT NULL,
    correlation_id  text,
    ingested_at     timestamptz,
    persisted_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS positions (
    portfolio_id       text NOT NULL,
    security_id        text NOT NULL,
    quantity           numeric(24, 6) NOT NULL,
    cost               numeric(30, 6) NOT NULL,
    transaction_count  bigint NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (portfolio_id, security_id)
);

CREATE TABLE IF NOT EXISTS processed_events (
    event_id         text PRIMARY KEY,
    correlation_id   text,
    kafka_topic      text,
    kafka_partition  integer,
    kafka_offset     bigint,
    processed_at     timestamptz NOT NULL DEFAULT now()
);
