\set ON_ERROR_STOP on
-- a psql script: meta-commands are skipped, COPY data is not SQL
BEGIN;
CREATE TABLE IF NOT EXISTS import_rows (id int, raw text);
COPY import_rows (id, raw) FROM STDIN WITH (FORMAT text);
1	ALTER TABLE users DROP COLUMN email;
2	'; DROP TABLE users; --
\.
COMMIT;
\echo done
