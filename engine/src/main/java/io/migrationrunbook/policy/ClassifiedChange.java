package io.migrationrunbook.policy;

import java.util.Set;

/**
 * One statement's contribution to a migration's classification.
 *
 * @param file          migration file
 * @param line          line of the statement
 * @param classes       the change classes it brings (may be empty for a statement that only affects writes)
 * @param affectsWrites it changes what writers see or may do (constraints, triggers, NOT NULL columns...): consumers pause
 * @param reason        why, in words
 * @param statement     the statement, shortened
 */
public record ClassifiedChange(String file, int line, Set<ChangeClass> classes, boolean affectsWrites, String reason,
                               String statement) {

    public boolean needsPause() {
        return affectsWrites || classes.contains(ChangeClass.BREAKING) || classes.contains(ChangeClass.LOCKING)
                || classes.contains(ChangeClass.BACKFILL);
    }
}
