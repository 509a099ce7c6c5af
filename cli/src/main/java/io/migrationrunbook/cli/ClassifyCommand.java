package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.lint.LintReport;
import io.migrationrunbook.lint.LintSettings;
import io.migrationrunbook.lint.Linter;
import io.migrationrunbook.policy.ChangeClass;
import io.migrationrunbook.policy.MigrationClassification;
import io.migrationrunbook.policy.PolicyDecision;
import io.migrationrunbook.policy.ReleaseClassification;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code runbook classify}: the release's change classes, whether consumers must pause, and the policy decision.
 * Exit 0 when the release is allowed, 1 when it is refused or awaits approval.
 */
@Command(name = "classify", description = "Classify a release (non-breaking, breaking, locking, backfill) and apply the release policy.")
public class ClassifyCommand extends EngineCommand {

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Migration .sql files and/or directories (Flyway order).")
    List<Path> paths;

    @Mixin
    PlaceholderOptions placeholders = new PlaceholderOptions();

    @Option(names = "--backfill-threshold", paramLabel = "ROWS", defaultValue = "" + LintSettings.DEFAULT_BACKFILL_ROWS,
            description = "DML estimated to touch more rows than this is a backfill (default ${DEFAULT-VALUE}).")
    long backfillThreshold;

    @ArgGroup(exclusive = false, heading = "Optional database (row estimates, column types; read only):%n")
    DatabaseOptions db;

    @ArgGroup(exclusive = false)
    LintCommand.PolicyOptions policy = new LintCommand.PolicyOptions();

    /** The JSON of {@code runbook classify --json}. */
    public record Result(PolicyDecision decision, ReleaseClassification classification) {
    }

    @Override
    protected Outcome run(Progress progress) {
        java.util.Map<String, String> values = placeholders.values();
        LintSettings settings = LintCommand.settings(policy, db, "error", backfillThreshold, List.of(), List.of()).withPlaceholders(values);
        LintReport report = Linter.lint(paths, settings);
        PolicyDecision decision = report.decision();
        StringBuilder b = new StringBuilder();
        for (MigrationClassification m : report.classification().migrations()) {
            b.append(String.format("%-50s %s%s%n", Path.of(m.file()).getFileName(), label(m.classes()),
                    m.consumersMustPause() ? "  (consumers must pause)" : ""));
        }
        b.append("Release: ").append(label(decision.classes())).append('\n');
        b.append("Consumers: ").append(decision.consumersMustPause() ? "must be paused" : "no pause needed").append('\n');
        for (String reason : decision.pauseReasons()) {
            b.append("  - ").append(reason).append('\n');
        }
        b.append("Policy: ").append(decision.headline());
        return Outcome.of(new Result(decision, report.classification()), decision.allowed(), b.toString());
    }

    private static String label(java.util.Set<ChangeClass> classes) {
        return classes.isEmpty() ? "no schema change" : classes.stream().map(ChangeClass::label).collect(Collectors.joining(", "));
    }
}
