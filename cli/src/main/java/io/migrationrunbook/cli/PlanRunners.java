package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.HumanGate;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.run.Approver;
import io.migrationrunbook.policy.ReleasePolicy;
import io.migrationrunbook.run.PlanRunner;
import io.migrationrunbook.run.PolicyReleaseAdvisor;
import io.migrationrunbook.run.RunPlan;

import java.nio.file.Path;

/** The one place the CLI wires the engines into a {@link PlanRunner} (used by {@code run} and {@code demo}). */
final class PlanRunners {

    private PlanRunners() {
    }

    /**
     * The release policy is the guide's default (mixed and backfill releases refused, breaking changes approved at the
     * runner's gate through {@code approver}); the advisor classifies the pending migrations so consumers pause only
     * when a change affects the write path.
     */
    static PlanRunner.Builder forCli(RunPlan plan, Path planDirectory, Path out, Approver approver, Progress progress) {
        ReleasePolicy policy = ReleasePolicy.defaults();
        return PlanRunner.builder(plan, planDirectory, out)
                .policy(policy)
                .advisor(new PolicyReleaseAdvisor(policy))
                .approver(approver)
                .humanGate(HumanGate.refuseAll())
                .progress(progress);
    }
}
