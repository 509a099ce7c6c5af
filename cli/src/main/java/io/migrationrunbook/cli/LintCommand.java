package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.lint.LintOutput;
import io.migrationrunbook.lint.LintReport;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.lint.Linter;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.rules.Rules;
import io.migrationrunbook.policy.ReleasePolicy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code runbook lint}: static analysis of migration SQL, with the release classification and policy decision.
 * Exit 1 when a finding at or above {@code --fail-on} remains (the policy decision is shown, not enforced: that is
 * {@code runbook classify}).
 */
@Command(name = "lint", description = "Check migration SQL for locking, breaking and backfill changes (see docs/lint.md).")
public class LintCommand extends EngineCommand {

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Migration .sql files and/or directories (Flyway order).")
    List<Path> paths;

    @Mixin
    PlaceholderOptions placeholders = new PlaceholderOptions();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json, sarif or junit.")
    String format;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
            description = "Lowest severity that fails the run: error (default), warning or info.")
    String failOn;

    @Option(names = "--backfill-threshold", paramLabel = "ROWS", defaultValue = "" + LintSettings.DEFAULT_BACKFILL_ROWS,
            description = "DML estimated to touch more rows than this is a backfill (default ${DEFAULT-VALUE}).")
    long backfillThreshold;

    @Option(names = "--disable", paramLabel = "RULE", split = ",", description = "Rule ids to switch off.")
    List<String> disable = List.of();

    @Option(names = "--enable", paramLabel = "RULE", split = ",", description = "Off-by-default rule ids to switch on (require-lock-timeout).")
    List<String> enable = List.of();

    @ArgGroup(exclusive = false, heading = "Optional database (row estimates, column types; read only):%n")
    DatabaseOptions db;

    @ArgGroup(exclusive = false)
    PolicyOptions policy = new PolicyOptions();

    @Override
    protected Outcome run(Progress progress) {
        LintOutput.Format selected = output.json() ? LintOutput.Format.JSON : LintOutput.Format.parse(format);
        java.util.Map<String, String> values = placeholders.values();
        LintSettings settings = settings(policy, db, failOn, backfillThreshold, disable, enable).withPlaceholders(values);
        progress.report("Linting %s ...", paths);
        LintReport report = Linter.lint(paths, settings);
        progress.report("Linted %d file(s), %d statement(s) in %d ms", report.summary().files(), report.summary().statements(),
                report.summary().durationMs());
        if (selected == LintOutput.Format.JSON) {
            output.json = true;
            return Outcome.of(report, report.passed(), null);
        }
        return Outcome.of(report, report.passed(), LintOutput.render(report, selected));
    }

    static LintSettings settings(PolicyOptions policy, DatabaseOptions db, String failOn, long backfillThreshold,
                                 List<String> disable, List<String> enable) {
        Set<String> known = new HashSet<>();
        Rules.all().forEach(r -> known.add(r.id()));
        for (String id : concat(disable, enable)) {
            if (!known.contains(id)) {
                throw RunbookException.configuration("Unknown rule id '" + id + "' in --disable/--enable; the ids are listed in docs/lint.md.");
            }
        }
        if (backfillThreshold < 0) {
            throw RunbookException.configuration("--backfill-threshold must be zero or more.");
        }
        LintSettings settings = LintSettings.defaults()
                .withFailOn(Severity.parse(failOn))
                .withBackfillRowThreshold(backfillThreshold)
                .withDisabledRules(Set.copyOf(disable))
                .withEnabledRules(Set.copyOf(enable))
                .withPolicy(policy.policy())
                .withApproveBreaking(policy.approveBreaking)
                .withFromVersion(policy.fromVersion);
        if (db != null) {
            settings = settings.withDatabase(DatabaseOptions.require(db));
        }
        return settings;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Release policy flags shared by lint and classify. */
    static class PolicyOptions {
        @Option(names = "--policy", paramLabel = "FILE", description = "Release policy YAML (see docs/lint.md).")
        Path file;

        @Option(names = "--from-version", paramLabel = "VERSION",
                description = "Files below this Flyway version are already applied: read for context, not checked or classified.")
        String fromVersion;

        @Option(names = "--approve-breaking", description = "Approve the breaking changes of this release.")
        boolean approveBreaking;

        @Option(names = "--allow-mixed", description = "Allow breaking and non-breaking changes in one release.")
        boolean allowMixed;

        @Option(names = "--allow-backfill", description = "Allow backfills in migrations.")
        boolean allowBackfill;

        ReleasePolicy policy() {
            ReleasePolicy p = file == null ? ReleasePolicy.defaults() : ReleasePolicy.load(file);
            if (allowMixed) {
                p = p.withRefuseMixedRelease(false);
            }
            if (allowBackfill) {
                p = p.withRefuseBackfill(false);
            }
            return p;
        }
    }
}
