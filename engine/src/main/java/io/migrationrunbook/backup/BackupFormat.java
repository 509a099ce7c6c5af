package io.migrationrunbook.backup;

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

    String pgDumpFlag() {
        return pgDumpFlag;
    }
}
