package io.migrationrunbook.backup;

import io.migrationrunbook.core.RunbookException;

import java.util.Locale;

/** pg_dump's archive formats the runbook writes. Both can be restored selectively and in parallel by pg_restore. */
public enum BackupFormat {
    /** {@code pg_dump -Fc}: one compressed file. */
    CUSTOM("c"),
    /** {@code pg_dump -Fd}: a directory with one file per table; the only format pg_dump can write in parallel ({@code --jobs}). */
    DIRECTORY("d");

    private final String pgDumpFlag;

    BackupFormat(String pgDumpFlag) {
        this.pgDumpFlag = pgDumpFlag;
    }

    /**
     * The format as written in flags, plans and pipeline steps: {@code custom} or {@code directory} (or pg_dump's
     * {@code c} and {@code d}), any case; null means custom. {@code key} names the setting in the error.
     */
    public static BackupFormat parse(String value, String key) {
        if (value == null) {
            return CUSTOM;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "custom", "c" -> CUSTOM;
            case "directory", "d" -> DIRECTORY;
            default -> throw RunbookException.configuration(key + " must be custom or directory, got '" + value + "'.");
        };
    }

    String pgDumpFlag() {
        return pgDumpFlag;
    }
}
