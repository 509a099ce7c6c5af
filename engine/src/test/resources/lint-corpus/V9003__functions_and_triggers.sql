CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $body$
DECLARE
  q text := $q$SELECT 'a;b' -- no$q$;
BEGIN
  EXECUTE format('INSERT INTO %I.%I VALUES ($1)', TG_TABLE_SCHEMA, TG_TABLE_NAME || '_audit') USING NEW;
  RETURN NEW; /* end; /* nested */ */
END
$body$;
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE EVENT TRIGGER no_drops ON sql_drop EXECUTE FUNCTION audit_row();
CREATE PROCEDURE archive(cutoff date) LANGUAGE sql BEGIN ATOMIC
  DELETE FROM orders WHERE created < cutoff;
  INSERT INTO orders_log SELECT now(), 'archived';
END;
CALL archive('2020-01-01');
