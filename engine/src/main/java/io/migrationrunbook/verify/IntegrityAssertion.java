package io.migrationrunbook.verify;

/**
 * A query that must return zero rows: every row it returns is an offending record ("orphaned events",
 * "negative balances", "events without a correlation id").
 *
 * @param name what the query proves, shown in the report; defaults to the SQL itself
 */
public record IntegrityAssertion(String name, String sql) {

    public static IntegrityAssertion of(String sql) {
        return new IntegrityAssertion(null, sql);
    }

    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
