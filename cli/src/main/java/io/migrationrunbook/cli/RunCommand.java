package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.report.Approval;
import io.migrationrunbook.report.ReportFiles;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.run.Approver;
import io.migrationrunbook.run.PlanLoader;
import io.migrationrunbook.run.RunPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** {@code runbook run --plan FILE}: the whole runbook in the guide's order, with gates, into a run report. */
@Command(name = "run", description = "Run a configured runbook (plan YAML) end to end and write report.json and report.html.")
public class RunCommand extends EngineCommand {

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "The runbook plan (YAML).")
    Path planFile;

    @Option(names = "--out", defaultValue = "runbook-run", paramLabel = "DIR",
            description = "Where report.json, report.html, backups and the consumers' pause state go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--approve-as", paramLabel = "NAME",
            description = "Approve every gate non-interactively, recorded in the report as NAME.")
    String approveAs;

    @Override
    protected Path reportDirectory() {
        return out;
    }

    @Override
    protected Outcome run(Progress progress) {
        RunPlan plan = PlanLoader.load(planFile);
        RunReport report = PlanRunners.forCli(plan, planFile.toAbsolutePath().getParent(), out.toAbsolutePath(), approver(progress), progress)
                .build().run();
        return outcome(report, out);
    }

    static Outcome outcome(RunReport report, Path out) {
        StringBuilder human = new StringBuilder();
        human.append(report.getTitle()).append(": ").append(report.getStatus()).append('\n');
        report.getSteps().forEach(s -> human.append(String.format("  %-20s %-8s %8d ms  %s%n", s.name(), s.status(), s.durationMs(),
                s.reason() == null ? "" : s.reason())));
        human.append("pause window: ").append(report.getPauseWindowMs()).append(" ms\n");
        report.getNextActions().forEach(a -> human.append("NEXT: ").append(a).append('\n'));
        human.append("report: ").append(out.toAbsolutePath().resolve(ReportFiles.HTML_FILE));
        return Outcome.of(report, RunReport.SUCCEEDED.equals(report.getStatus()), human.toString());
    }

    private Approver approver(Progress progress) {
        if (approveAs != null) {
            return (gate, summary) -> {
                progress.report("Gate '%s' approved non-interactively by %s:%n%s", gate, approveAs, summary);
                return new Approval(gate, approveAs, Instant.now(), "approved (--approve-as)");
            };
        }
        if (System.console() == null) {
            return (gate, summary) -> {
                progress.report("Gate '%s' needs an approval and there is no terminal to ask: pass --approve-as NAME.", gate);
                return null;
            };
        }
        return (gate, summary) -> {
            progress.report("%n%s%nApprove gate '%s'? Type your name to approve, empty to refuse: ", summary, gate);
            try {
                String name = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (name == null || name.isBlank()) {
                    return null;
                }
                return new Approval(gate, name.trim(), Instant.now(), "approved at the terminal");
            } catch (IOException e) {
                return null;
            }
        };
    }
}
