package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.HumanGate;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.run.Approver;
import io.migrationrunbook.run.PlanRunner;
import io.migrationrunbook.run.RunPlan;

import java.nio.file.Path;

/** The one place the CLI wires the engines into a {@link PlanRunner} (used by {@code run} and {@code demo}). */
final class PlanRunners {

    private PlanRunners() {
    }

    static PlanRunner.Builder forCli(RunPlan plan, Path planDirectory, Path out, Approver approver, Progress progress) {
        return PlanRunner.builder(plan, planDirectory, out)
                .approver(approver)
                .humanGate(HumanGate.refuseAll())
                .progress(progress);
    }
}
