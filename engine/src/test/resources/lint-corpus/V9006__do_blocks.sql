-- DO blocks run inside the migration: their static statements are linted; EXECUTE is reported as dynamic
DO $do$
<<outer>>
DECLARE
  n bigint := 0;  -- a comment; with a semicolon
  label text := $q$it's; $$ not the end$q$;
  cur CURSOR FOR SELECT id FROM orders WHERE status = 'done';
  r record;
BEGIN
  n := (SELECT count(*) FROM users);
  IF n >= 0 AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'region') THEN
    RAISE NOTICE 'adding region to % rows; label %', n, label;
    ALTER TABLE users ADD COLUMN region text;
  ELSIF n < 0 THEN
    PERFORM pg_sleep(0);
  ELSE
    NULL;
  END IF;
  FOR i IN 1..2 LOOP
    EXIT WHEN i > 1;
    CREATE INDEX IF NOT EXISTS users_region_idx ON users (region);
  END LOOP;
  FOR r IN SELECT id FROM orders LIMIT 1 LOOP
    UPDATE orders SET note = 'seen' WHERE id = r.id;
  END LOOP;
  CASE n WHEN -1 THEN
    DELETE FROM sessions WHERE token IS NULL;
  ELSE
    GET DIAGNOSTICS n = ROW_COUNT;
  END CASE;
  BEGIN
    ALTER TABLE users RENAME COLUMN name TO full_name;
  EXCEPTION WHEN undefined_column THEN
    RAISE NOTICE 'already renamed';
  END;
  /* a block comment; END; */
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting_do') THEN
    EXECUTE 'CREATE ROLE reporting_do NOLOGIN';
  END IF;
END outer
$do$;
DO LANGUAGE plpgsql 'BEGIN RAISE NOTICE ''quoted body; fine''; ALTER TABLE orders ADD COLUMN note2 text; END';
DO $$
BEGIN
  DO $inner$ BEGIN ALTER TABLE sessions DROP COLUMN IF EXISTS token; END $inner$;
END $$;
-- a function body runs later, when called: not linted as if it ran now
CREATE OR REPLACE FUNCTION purge_sessions() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM sessions;
  DROP TABLE IF EXISTS sessions_old;
END $fn$;
