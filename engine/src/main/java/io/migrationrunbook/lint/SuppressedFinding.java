package io.migrationrunbook.lint;

/**
 * A finding silenced by a comment: kept in the report so reviewers see what was waived and why.
 *
 * @param finding the finding
 * @param by      the directive ({@code runbook:allow}, {@code squawk-ignore}, {@code squawk-ignore-file}, {@code atlas:nolint})
 * @param reason  the reason given (runbook:allow requires one)
 */
public record SuppressedFinding(Finding finding, String by, String reason) {
}
