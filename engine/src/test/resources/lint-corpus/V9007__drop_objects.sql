-- drops of objects other than tables and columns: each is a breaking change with its own rule
DROP VIEW IF EXISTS active_users;
DROP MATERIALIZED VIEW order_stats;
DROP FUNCTION IF EXISTS order_label(orders), add(integer, integer) CASCADE;
DROP PROCEDURE IF EXISTS archive(date);
DROP TYPE mood CASCADE;
DROP DOMAIN IF EXISTS positive;
DROP SEQUENCE invoice_seq;
DROP TRIGGER IF EXISTS users_audit ON users;
-- the usual way to change a view: dropped and created again in the same transaction (a warning)
DROP VIEW IF EXISTS user_emails;
CREATE VIEW user_emails AS SELECT id, email FROM users;
-- squawk-ignore ban-drop-view
DROP VIEW IF EXISTS legacy_report;
