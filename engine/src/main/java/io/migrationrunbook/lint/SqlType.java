package io.migrationrunbook.lint;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A column type reduced to what decides whether changing it rewrites the table: the base name in one canonical
 * spelling ({@code character varying} and {@code varchar} are both {@code varchar}), the modifiers and array-ness.
 */
public record SqlType(String base, List<Integer> modifiers, boolean array) {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("character varying", "varchar"), Map.entry("char varying", "varchar"),
            Map.entry("character", "char"), Map.entry("bpchar", "char"), Map.entry("nchar", "char"),
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("int2", "smallint"),
            Map.entry("int8", "bigint"), Map.entry("float8", "double precision"), Map.entry("float4", "real"),
            Map.entry("decimal", "numeric"), Map.entry("bool", "boolean"),
            Map.entry("timestamp with time zone", "timestamptz"), Map.entry("timestamp without time zone", "timestamp"),
            Map.entry("time with time zone", "timetz"), Map.entry("time without time zone", "time"),
            Map.entry("bit varying", "varbit"), Map.entry("serial4", "serial"), Map.entry("serial8", "bigserial"),
            Map.entry("serial2", "smallserial"));

    /** Reads a type from its tokens (as written after a column name or TYPE). */
    public static SqlType of(List<Token> tokens) {
        StringBuilder name = new StringBuilder();
        List<Integer> modifiers = new ArrayList<>();
        boolean array = false;
        int i = 0;
        String trailingZone = null;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.type() == Token.Type.LEFT_PAREN) {
                int j = i + 1;
                while (j < tokens.size() && tokens.get(j).type() != Token.Type.RIGHT_PAREN) {
                    Token m = tokens.get(j);
                    if (m.type() == Token.Type.NUMBER) {
                        try {
                            modifiers.add(Integer.parseInt(m.text()));
                        } catch (NumberFormatException ignored) {
                            // not a plain integer modifier: leave it out
                        }
                    }
                    j++;
                }
                i = j + 1;
                continue;
            }
            if (t.type() == Token.Type.LEFT_BRACKET || t.is("ARRAY")) {
                array = true;
                i++;
                continue;
            }
            if (t.type() == Token.Type.RIGHT_BRACKET || t.type() == Token.Type.NUMBER) {
                i++;
                continue;
            }
            if (t.isAny("WITH", "WITHOUT") && i + 2 < tokens.size() && tokens.get(i + 1).is("TIME")) {
                trailingZone = t.is("WITH") ? " with time zone" : " without time zone";
                i += 3;
                continue;
            }
            if (t.isName()) {
                if (name.length() > 0 && !lastWasDot(tokens, i)) {
                    name.append(' ');
                }
                name.append(t.identifier());
            } else if (t.type() == Token.Type.DOT) {
                name.append('.');
            }
            i++;
        }
        String base = name.toString().trim();
        if (base.startsWith("pg_catalog.")) {
            base = base.substring("pg_catalog.".length());
        }
        if (trailingZone != null) {
            base = base + trailingZone;
        }
        base = ALIASES.getOrDefault(base, base);
        return new SqlType(base, List.copyOf(modifiers), array);
    }

    private static boolean lastWasDot(List<Token> tokens, int i) {
        return i > 0 && tokens.get(i - 1).type() == Token.Type.DOT;
    }

    /** Parses a type name as PostgreSQL's format_type() prints it. */
    public static SqlType parse(String text) {
        List<Token> tokens = SqlScanner.tokenize(text);
        return of(tokens);
    }

    public boolean isSerial() {
        return !array && (base.equals("serial") || base.equals("bigserial") || base.equals("smallserial"));
    }

    /**
     * Whether ALTER COLUMN ... TYPE from {@code from} to {@code to} can skip the table rewrite (binary-coercible
     * or a relaxed modifier). Conservative: anything not known to be free is a rewrite.
     */
    public static boolean changeIsRewriteFree(SqlType from, SqlType to) {
        if (from.array != to.array) {
            return false;
        }
        String a = from.base;
        String b = to.base;
        if (a.equals(b)) {
            return switch (a) {
                case "varchar", "varbit" -> to.modifiers.isEmpty()
                        || (!from.modifiers.isEmpty() && to.modifiers.get(0) >= from.modifiers.get(0));
                case "numeric" -> to.modifiers.isEmpty() || (!from.modifiers.isEmpty()
                        && to.modifiers.get(0) >= from.modifiers.get(0) && scale(to) == scale(from));
                case "timestamp", "timestamptz", "time", "timetz", "interval" -> to.modifiers.isEmpty()
                        || (!from.modifiers.isEmpty() && to.modifiers.get(0) >= from.modifiers.get(0));
                default -> from.modifiers.equals(to.modifiers);
            };
        }
        if (b.equals("text") && (a.equals("varchar") || a.equals("xml") || a.equals("citext"))) {
            return true;
        }
        if (b.equals("varchar") && to.modifiers.isEmpty() && (a.equals("text") || a.equals("citext"))) {
            return true;
        }
        return b.equals("inet") && a.equals("cidr");
    }

    private static int scale(SqlType t) {
        return t.modifiers.size() > 1 ? t.modifiers.get(1) : 0;
    }

    @JsonValue
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(base);
        if (!modifiers.isEmpty()) {
            b.append('(');
            for (int i = 0; i < modifiers.size(); i++) {
                b.append(i > 0 ? "," : "").append(modifiers.get(i));
            }
            b.append(')');
        }
        if (array) {
            b.append("[]");
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
