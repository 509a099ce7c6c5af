package io.migrationrunbook.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The guide's four kinds of schema change; a migration or release carries a set of them. */
public enum ChangeClass {
    /** Additive: new tables, nullable columns, concurrent indexes, views, functions, enum values. */
    NON_BREAKING,
    /** Old application code breaks: drop, rename, incompatible type change, NOT NULL on existing data, truncate. */
    BREAKING,
    /** Rewrites a table or holds a write-blocking lock for longer than an instant. */
    LOCKING,
    /** Changes many rows: belongs in a batch job, not a migration. */
    BACKFILL;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static ChangeClass parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
