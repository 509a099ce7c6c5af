package io.migrationrunbook.lint;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether ADD COLUMN rewrites the table. Since PostgreSQL 11 a non-volatile default is stored in the catalog and
 * the table is not touched; a volatile default ({@code random()}, {@code clock_timestamp()},
 * {@code gen_random_uuid()}, {@code nextval()}), serial, identity and STORED generated columns fill every existing
 * row under ACCESS EXCLUSIVE. {@code now()} and {@code CURRENT_TIMESTAMP} are STABLE: evaluated once, no rewrite.
 */
public final class DefaultExpressions {

    public enum Volatility { NONE, STABLE, VOLATILE, UNKNOWN }

    /** Built-in volatile functions seen in defaults. */
    static final Set<String> VOLATILE = Set.of("random", "random_normal", "clock_timestamp", "timeofday", "gen_random_uuid",
            "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "nextval", "setval",
            "txid_current", "pg_current_xact_id", "gen_random_bytes", "md5_random", "floor_random");
    /** Built-in immutable or stable functions that are fine in a default. */
    static final Set<String> NOT_VOLATILE = Set.of("now", "statement_timestamp", "transaction_timestamp", "current_date",
            "current_time", "current_timestamp", "localtime", "localtimestamp", "lower", "upper", "coalesce", "nullif",
            "greatest", "least", "concat", "length", "abs", "round", "trim", "to_jsonb", "to_json", "jsonb_build_object",
            "json_build_object", "jsonb_build_array", "json_build_array", "array", "make_interval", "make_date",
            "date_trunc", "current_setting", "current_user", "session_user", "current_schema", "interval", "cast",
            "to_timestamp", "to_date", "to_char", "timezone", "row", "numeric", "int4", "int8", "text", "varchar",
            "jsonb", "json", "point", "inet", "uuid", "timestamp", "timestamptz", "date", "time", "bool", "boolean",
            "pg_catalog", "format", "repeat", "substr", "substring", "replace", "left", "right");

    private DefaultExpressions() {
    }

    /** The worst volatility among the function calls of an expression, and the function that decided it. */
    public record Verdict(Volatility volatility, String function) {
    }

    public static Verdict volatility(List<Token> expression) {
        return volatility(expression, name -> Optional.empty());
    }

    /** As {@link #volatility(List)}, asking {@code catalog} about functions the built-in lists do not know. */
    public static Verdict volatility(List<Token> expression, Function<String, Optional<Volatility>> catalog) {
        Verdict worst = new Verdict(Volatility.NONE, null);
        for (int k = 0; k < expression.size(); k++) {
            Token t = expression.get(k);
            boolean call = t.isName() && k + 1 < expression.size() && expression.get(k + 1).type() == Token.Type.LEFT_PAREN;
            boolean keyword = t.isAny("CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME");
            if (!call && !keyword) {
                continue;
            }
            String name = t.identifier().toLowerCase(Locale.ROOT);
            if (k >= 2 && expression.get(k - 1).type() == Token.Type.DOT) {
                // schema-qualified: pg_catalog.now() is now(); public.my_fn() is unknown
                String schema = expression.get(k - 2).identifier();
                if (!schema.equals("pg_catalog")) {
                    name = schema + "." + name;
                }
            }
            Volatility v;
            if (VOLATILE.contains(name)) {
                v = Volatility.VOLATILE;
            } else if (NOT_VOLATILE.contains(name) || keyword) {
                v = Volatility.STABLE;
            } else {
                v = catalog.apply(name).orElse(Volatility.UNKNOWN);
            }
            if (rank(v) > rank(worst.volatility())) {
                worst = new Verdict(v, name);
            }
        }
        return worst;
    }

    private static int rank(Volatility v) {
        return switch (v) {
            case NONE -> 0;
            case STABLE -> 1;
            case UNKNOWN -> 2;
            case VOLATILE -> 3;
        };
    }

    /** Why adding this column rewrites the table, or null when it does not (or cannot be told: see {@link #volatility}). */
    public static String rewriteReason(ColumnDefinition column) {
        return rewriteReason(column, name -> Optional.empty());
    }

    /** As {@link #rewriteReason(ColumnDefinition)}, with the target's function volatility (pg_proc) when known. */
    public static String rewriteReason(ColumnDefinition column, Function<String, Optional<Volatility>> catalog) {
        if (column.serial()) {
            return "a " + column.type().base() + " column fills every existing row from a sequence";
        }
        if (column.identity()) {
            return "an identity column fills every existing row from a sequence";
        }
        if (column.storedGenerated()) {
            return "a STORED generated column is computed and written for every existing row";
        }
        if (column.hasDefault()) {
            Verdict verdict = volatility(column.defaultTokens(), catalog);
            if (verdict.volatility() == Volatility.VOLATILE) {
                return "the default " + column.defaultExpr() + " is volatile (" + verdict.function()
                        + "): PostgreSQL evaluates it for every existing row";
            }
        }
        return null;
    }
}
