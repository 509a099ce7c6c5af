-- The broken version used by `runbook demo --fail-at migrate`: the second statement names a table that does not
-- exist, so the migration fails (SQLSTATE 42P01) and its transaction, first statement included, rolls back.
-- runbook:allow rewriting-add-column processed_events is small; consumers are paused around this release
ALTER TABLE processed_events ADD COLUMN received_at timestamptz DEFAULT clock_timestamp();
ALTER TABLE processed_events ADD CONSTRAINT processed_events_source_fk FOREIGN KEY (correlation_id) REFERENCES event_sources (correlation_id);
