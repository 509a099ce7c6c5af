package io.migrationrunbook.lint;

import java.util.List;

/**
 * One check, in its own class under {@code io.migrationrunbook.lint.rules}. The metadata below is what
 * {@code docs/lint.md}, the SARIF rule table and every finding carry.
 */
public interface LintRule {

    /** Stable id, kebab-case; used in suppressions and {@code --disable}. */
    String id();

    Severity severity();

    /** The lock the offending statement takes (and on what). */
    String lock();

    /** Why it matters in production, in one or two sentences. */
    String why();

    /** The safe way to make the same change. */
    String alternative();

    /** Squawk rule names covering the same problem (also accepted by {@code -- squawk-ignore}). */
    default List<String> squawk() {
        return List.of();
    }

    /** Atlas {@code migrate lint} analyzer codes covering the same problem (also accepted by {@code -- atlas:nolint}). */
    default List<String> atlas() {
        return List.of();
    }

    default boolean enabledByDefault() {
        return true;
    }

    /** Called for every statement of a file, in order. */
    default void check(ParsedStatement statement, RuleContext context) {
    }

    /** Called once per file after every statement was checked. */
    default void checkFile(RuleContext context) {
    }
}
