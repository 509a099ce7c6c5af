-- Built concurrently: writers keep writing while it builds (Flyway runs this file outside a transaction).
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_processed_events_correlation_id ON processed_events (correlation_id);
