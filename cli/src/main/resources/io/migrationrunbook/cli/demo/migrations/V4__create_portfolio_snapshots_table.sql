-- A new table: nothing reads or writes it yet.
CREATE TABLE portfolio_snapshots (
    portfolio_id  text        NOT NULL,
    taken_at      timestamptz NOT NULL,
    positions     jsonb       NOT NULL,
    PRIMARY KEY (portfolio_id, taken_at)
);
