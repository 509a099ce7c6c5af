package io.migrationrunbook.lint;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.migrationrunbook.policy.PolicyDecision;
import io.migrationrunbook.policy.ReleaseClassification;

import java.util.List;

/**
 * The result of a lint run (the JSON of {@code runbook lint --json}).
 *
 * @param findings       findings that remain, in file order then line
 * @param suppressed     findings silenced by a comment, with the directive and reason
 * @param files          per file: name, version, transaction mode, statements, classification
 * @param summary        counts and whether the run passed
 * @param classification the release as a whole: change classes and whether consumers must pause
 * @param decision       the release policy's decision
 * @param migrations     the parsed migrations, for precheck and rehearsal (not serialised)
 */
public record LintReport(List<Finding> findings, List<SuppressedFinding> suppressed, List<FileResult> files,
                         Summary summary, ReleaseClassification classification, PolicyDecision decision,
                         @JsonIgnore List<Migration> migrations) {

    /**
     * @param file          path as given
     * @param name          file name
     * @param version       Flyway version or null
     * @param transaction   SINGLE_TRANSACTION or NO_TRANSACTION (how Flyway runs it)
     * @param statements    number of statements
     * @param unparsed      statements the linter could not follow (reported as info findings)
     * @param findings      findings that remain in this file
     */
    public record FileResult(String file, String name, String version, Migration.TransactionMode transaction, int statements,
                             int unparsed, int findings) {
    }

    /**
     * @param files      files linted
     * @param statements statements linted
     * @param errors     remaining findings by severity
     * @param warnings   ...
     * @param infos      ...
     * @param suppressed findings silenced by comments
     * @param failOn     the failing severity
     * @param passed     no remaining finding at or above failOn
     * @param durationMs wall time of the analysis
     */
    public record Summary(int files, int statements, int errors, int warnings, int infos, int suppressed, Severity failOn,
                          boolean passed, long durationMs) {
    }

    public boolean passed() {
        return summary.passed();
    }
}
