package io.migrationrunbook.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A deterministic generator of varied PostgreSQL migration files for the corpus test and the throughput benchmark.
 * Every template is valid PostgreSQL 15 against {@link #SETUP} on its own ({@code CorpusTemplatesPostgresTest} runs
 * each one through psql); files combine several templates with comments in between.
 */
public final class LintCorpus {

    /** The "existing" schema the templates are written against. */
    public static final String SETUP = """
            CREATE TYPE mood AS ENUM ('happy', 'sad');
            CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100), name text, status text, legacy text, mood mood,
                                created_at timestamptz);
            CREATE TABLE orders (id int PRIMARY KEY, user_id bigint, amount numeric(10,2), status text, code varchar(20), note text);
            CREATE TABLE events (id bigint, created date NOT NULL, payload jsonb) PARTITION BY RANGE (created);
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE sessions (id int, user_id bigint, token text);
            CREATE INDEX orders_status_idx ON orders (status);
            CREATE MATERIALIZED VIEW order_stats AS SELECT status, count(*) AS n FROM orders GROUP BY status;
            CREATE UNIQUE INDEX order_stats_status ON order_stats (status);
            CREATE SEQUENCE invoice_seq;
            """;

    /** A named template: SQL for a given unique number n (used in object names). */
    public record Template(String name, boolean transactional, IntFunction<String> sql) {
    }

    public static final List<Template> TEMPLATES = List.of(
            t("create_table", n -> """
                    CREATE TABLE audit_%1$d (
                        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        "Actor Name" text NOT NULL,
                        body jsonb DEFAULT '{}'::jsonb,
                        created timestamptz NOT NULL DEFAULT now(),
                        CONSTRAINT audit_%1$d_body CHECK (body IS NOT NULL)
                    );
                    CREATE INDEX audit_%1$d_created ON audit_%1$d (created);
                    """.formatted(n)),
            t("create_table_seed", n -> """
                    CREATE TABLE tier_%1$d (name text PRIMARY KEY, label text);
                    INSERT INTO tier_%1$d (name, label) VALUES ('gold', E'Gold\\ttier; it\\'s shiny'), ('silver', 'O''Brien; -- not a comment');
                    """.formatted(n)),
            t("add_nullable_column", n -> "ALTER TABLE users ADD COLUMN nick_%d text;\n".formatted(n)),
            t("add_column_default_now", n -> "ALTER TABLE users ADD COLUMN seen_%d timestamptz DEFAULT now();\n".formatted(n)),
            t("add_column_constant_not_null", n -> "ALTER TABLE orders ADD COLUMN flag_%d boolean NOT NULL DEFAULT false;\n".formatted(n)),
            t("add_column_volatile", n -> "ALTER TABLE users ADD COLUMN token_%d uuid DEFAULT gen_random_uuid();\n".formatted(n)),
            t("add_column_serial", n -> "ALTER TABLE sessions ADD COLUMN seq_%d bigserial;\n".formatted(n)),
            t("add_not_null_no_default", n -> "ALTER TABLE sessions ADD COLUMN must_%d text NOT NULL;\n".formatted(n)),
            t("set_not_null", n -> "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;\n"),
            t("not_null_via_check", n -> """
                    ALTER TABLE orders ADD CONSTRAINT orders_note_nn_%1$d CHECK (note IS NOT NULL) NOT VALID;
                    ALTER TABLE orders VALIDATE CONSTRAINT orders_note_nn_%1$d;
                    """.formatted(n)),
            t("fk_not_valid", n -> """
                    ALTER TABLE orders ADD CONSTRAINT orders_user_fk_%1$d FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
                    ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk_%1$d;
                    """.formatted(n)),
            t("fk_plain", n -> "ALTER TABLE sessions ADD CONSTRAINT sessions_user_fk_%d FOREIGN KEY (user_id) REFERENCES users (id);\n".formatted(n)),
            t("check_plain", n -> "ALTER TABLE orders ADD CONSTRAINT orders_amount_%d CHECK (amount >= 0);\n".formatted(n)),
            t("unique_constraint", n -> "ALTER TABLE orders ADD CONSTRAINT orders_code_%d UNIQUE (code);\n".formatted(n)),
            t("create_index_plain", n -> "CREATE INDEX orders_user_%d ON orders USING btree (user_id) WHERE status <> 'done';\n".formatted(n)),
            nt("create_index_concurrently", n -> "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_%d ON users (lower(email));\n".formatted(n)),
            t("drop_index", n -> "DROP INDEX IF EXISTS orders_status_idx;\n"),
            nt("drop_index_concurrently", n -> "DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;\n"),
            t("type_widen", n -> "ALTER TABLE orders ALTER COLUMN code TYPE varchar(40), ALTER COLUMN amount TYPE numeric(14,2);\n"),
            t("type_rewrite", n -> "ALTER TABLE orders ALTER COLUMN id SET DATA TYPE bigint USING id::bigint;\n"),
            t("rename_column", n -> "ALTER TABLE users RENAME COLUMN name TO name_%d;\n".formatted(n)),
            t("rename_table", n -> "ALTER TABLE sessions RENAME TO sessions_%d;\n".formatted(n)),
            t("drop_column", n -> "ALTER TABLE users DROP COLUMN IF EXISTS legacy;\n"),
            t("drop_table", n -> "DROP TABLE IF EXISTS sessions CASCADE;\n"),
            t("truncate", n -> "TRUNCATE TABLE sessions RESTART IDENTITY;\n"),
            t("update_all", n -> "UPDATE orders SET note = 'migrated';\n"),
            t("update_where", n -> "UPDATE orders o SET note = u.email FROM users u WHERE u.id = o.user_id AND o.id < %d RETURNING o.id;\n".formatted(n)),
            t("delete_cte", n -> """
                    WITH stale AS (SELECT id FROM sessions WHERE token IS NULL LIMIT 1000)
                    DELETE FROM sessions s USING stale WHERE s.id = stale.id;
                    """),
            t("insert_select", n -> """
                    CREATE TABLE orders_archive_%1$d (LIKE orders INCLUDING DEFAULTS);
                    INSERT INTO orders_archive_%1$d SELECT * FROM orders WHERE status = 'done';
                    """.formatted(n)),
            t("upsert", n -> """
                    INSERT INTO users (id, email) VALUES (%1$d, 'u%1$d@example.com')
                    ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email;
                    """.formatted(n)),
            t("merge", n -> """
                    MERGE INTO orders o USING (SELECT %1$d AS id, 1.5 AS amount) s ON o.id = s.id
                    WHEN MATCHED THEN UPDATE SET amount = s.amount
                    WHEN NOT MATCHED THEN INSERT (id, amount) VALUES (s.id, s.amount);
                    """.formatted(n)),
            nt("vacuum_full", n -> "VACUUM (FULL, ANALYZE) orders;\n"),
            t("cluster", n -> "CLUSTER orders USING orders_pkey;\n"),
            t("reindex", n -> "REINDEX INDEX orders_pkey;\n"),
            nt("reindex_concurrently", n -> "REINDEX TABLE CONCURRENTLY orders;\n"),
            t("refresh_matview", n -> "REFRESH MATERIALIZED VIEW order_stats;\n"),
            nt("refresh_matview_concurrently", n -> "REFRESH MATERIALIZED VIEW CONCURRENTLY order_stats;\n"),
            t("plpgsql_function", n -> """
                    CREATE OR REPLACE FUNCTION order_label_%1$d(o orders) RETURNS text
                    LANGUAGE plpgsql STABLE AS $fn$
                    DECLARE
                      result text := '';  -- a comment; inside the body
                    BEGIN
                      /* nested /* block */ comment; */
                      IF o.status = 'done' THEN
                        result := format('%%s; done', o.code);
                      ELSE
                        result := $q$it's $$ not the end$q$;
                      END IF;
                      RETURN result;
                    END;
                    $fn$;
                    """.formatted(n)),
            t("trigger", n -> """
                    CREATE FUNCTION touch_%1$d() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      NEW.note := coalesce(NEW.note, 'touched;');
                      RETURN NEW;
                    END $$;
                    CREATE TRIGGER orders_touch_%1$d BEFORE INSERT OR UPDATE ON orders
                      FOR EACH ROW EXECUTE FUNCTION touch_%1$d();
                    """.formatted(n)),
            t("sql_function_atomic", n -> """
                    CREATE FUNCTION add_%1$d(a integer, b integer) RETURNS integer
                        LANGUAGE sql IMMUTABLE
                    BEGIN ATOMIC
                      SELECT CASE WHEN a IS NULL THEN 0 ELSE a END + b;
                    END;
                    """.formatted(n)),
            t("views", n -> """
                    CREATE OR REPLACE VIEW active_users_%1$d AS
                      SELECT id, email FROM users WHERE status = 'active';
                    CREATE MATERIALIZED VIEW IF NOT EXISTS user_counts_%1$d AS SELECT status, count(*) FROM users GROUP BY status WITH NO DATA;
                    """.formatted(n)),
            t("enum", n -> """
                    CREATE TYPE state_%1$d AS ENUM ('new', 'open', 'closed');
                    ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh_%1$d' AFTER 'happy';
                    """.formatted(n)),
            t("partition", n -> """
                    CREATE TABLE events_p%1$d PARTITION OF events FOR VALUES FROM ('%2$d-01-01') TO ('%2$d-02-01');
                    CREATE TABLE events_q%1$d (LIKE events INCLUDING ALL);
                    ALTER TABLE events ATTACH PARTITION events_q%1$d FOR VALUES FROM ('%3$d-01-01') TO ('%3$d-02-01');
                    """.formatted(n, 3000 + n % 1000, 5000 + n % 1000)),
            t("detach_partition", n -> "ALTER TABLE events DETACH PARTITION events_2025;\n"),
            t("copy_block", n -> """
                    CREATE TABLE country_%1$d (code char(2) PRIMARY KEY, name text);
                    COPY country_%1$d (code, name) FROM stdin;
                    de\tGermany; DROP TABLE users;
                    fr\tFrance -- not a comment
                    xx\t\\N
                    \\.
                    """.formatted(n)),
            t("do_block", n -> """
                    DO $do$
                    BEGIN
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting_%1$d') THEN
                        EXECUTE 'CREATE ROLE reporting_%1$d NOLOGIN';
                      END IF;
                    END
                    $do$;
                    """.formatted(n)),
            t("grants_comments", n -> """
                    COMMENT ON TABLE orders IS E'Orders; one row per checkout\\n(see docs)';
                    COMMENT ON COLUMN users.email IS 'login; unique';
                    GRANT SELECT ON orders TO PUBLIC;
                    SELECT setval('invoice_seq', %d, false);
                    """.formatted(n)),
            t("settings", n -> """
                    SET lock_timeout = '2s';
                    SET LOCAL statement_timeout TO '30s';
                    RESET lock_timeout;
                    """),
            t("sequence_domain", n -> """
                    CREATE SEQUENCE IF NOT EXISTS ticket_%1$d_seq START 1000 INCREMENT BY 10;
                    CREATE DOMAIN positive_%1$d AS numeric CHECK (VALUE > 0);
                    ALTER SEQUENCE invoice_seq RESTART WITH %1$d;
                    """.formatted(n)),
            t("rls_policy", n -> """
                    ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY orders_owner_%1$d ON orders USING (user_id = current_setting('app.user_id', true)::bigint);
                    """.formatted(n)),
            t("quoted_identifiers", n -> """
                    CREATE TABLE "Weird; Table %1$d" ("Column \"\"Quoted\"\"\" int, "select" text);
                    INSERT INTO "Weird; Table %1$d" VALUES (1, U&'d\\0061t\\+000061');
                    """.formatted(n)),
            t("explicit_transaction", n -> """
                    BEGIN;
                    ALTER TABLE users ADD COLUMN bio_%1$d text;
                    COMMENT ON COLUMN users.bio_%1$d IS 'free text';
                    COMMIT;
                    """.formatted(n)),
            t("suppressed", n -> """
                    -- runbook:allow ban-drop-column unused since release %1$d, backed up
                    ALTER TABLE users DROP COLUMN IF EXISTS legacy;
                    -- squawk-ignore adding-field-with-default
                    ALTER TABLE users ADD COLUMN rnd_%1$d float8 DEFAULT random();
                    """.formatted(n)),
            t("unknown_suppression", n -> """
                    -- runbook:allow renaming-column
                    ALTER TABLE users RENAME COLUMN email TO email_%d;
                    """.formatted(n)),
            t("lock_and_select", n -> """
                    BEGIN;
                    LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;
                    SELECT count(*) FROM orders WHERE note ~ '^[a-z]+;$';
                    COMMIT;
                    """),
            t("dollar_string_literal", n -> """
                    INSERT INTO users (id, email, name) VALUES (%d, $e$x@y.z$e$, $$O'Brien; "quoted"$$);
                    """.formatted(n)));

    private static Template t(String name, IntFunction<String> sql) {
        return new Template(name, true, sql);
    }

    /** Templates PostgreSQL runs only outside a transaction block. */
    private static Template nt(String name, IntFunction<String> sql) {
        return new Template(name, false, sql);
    }

    /** One generated migration file. */
    public record CorpusFile(String name, String sql) {
    }

    /** {@code count} files from {@code seed}: the same arguments always give the same files. */
    public static List<CorpusFile> generate(int count, long seed) {
        Random random = new Random(seed);
        List<CorpusFile> files = new ArrayList<>(count);
        String[] comments = {"-- step\n", "/* reviewed; see ticket */\n", "\n", "-- note: /* not a block */\n",
                "/* outer /* inner */ still outer; */\n", "\n\n"};
        for (int i = 1; i <= count; i++) {
            StringBuilder sql = new StringBuilder("-- generated migration ").append(i).append('\n');
            int parts = 1 + random.nextInt(6);
            StringBuilder description = new StringBuilder();
            for (int j = 0; j < parts; j++) {
                Template template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
                sql.append(comments[random.nextInt(comments.length)]);
                sql.append(template.sql().apply(i * 100 + j));
                if (j < 2) {
                    description.append(description.length() == 0 ? "" : "_and_").append(template.name());
                }
            }
            if (random.nextInt(10) == 0) {
                // Windows line endings in some files
                files.add(new CorpusFile("V" + i + "__" + description + ".sql", sql.toString().replace("\n", "\r\n")));
            } else {
                files.add(new CorpusFile("V" + i + "__" + description + ".sql", sql.toString()));
            }
        }
        return files;
    }
}
