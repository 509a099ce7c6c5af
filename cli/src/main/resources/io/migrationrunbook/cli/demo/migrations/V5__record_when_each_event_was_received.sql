-- The change that affects the write path: every processed event gets its own receive time. A volatile default
-- (clock_timestamp) rewrites processed_events under ACCESS EXCLUSIVE, so the consumers that write it must be paused.
-- runbook:allow rewriting-add-column processed_events is small; consumers are paused around this release
ALTER TABLE processed_events ADD COLUMN received_at timestamptz DEFAULT clock_timestamp();
