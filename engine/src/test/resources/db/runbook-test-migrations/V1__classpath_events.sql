CREATE TABLE cp_events (id bigint PRIMARY KEY);
