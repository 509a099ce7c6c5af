package io.migrationrunbook.run;

import io.migrationrunbook.backup.Backup;
import io.migrationrunbook.backup.BackupFormat;
import io.migrationrunbook.backup.BackupResult;
import io.migrationrunbook.backup.BackupSettings;
import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.consumers.HumanGate;
import io.migrationrunbook.consumers.PauseConsumers;
import io.migrationrunbook.consumers.PauseResult;
import io.migrationrunbook.consumers.PauseState;
import io.migrationrunbook.consumers.ResumeConsumers;
import io.migrationrunbook.consumers.ResumeResult;
import io.migrationrunbook.core.Durations;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.ConnectionLostException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.dberrors.ErrorRateComparison;
import io.migrationrunbook.dberrors.ErrorRateSampler;
import io.migrationrunbook.dberrors.ErrorRates;
import io.migrationrunbook.lag.CheckConsumerLag;
import io.migrationrunbook.lag.LagCheckResult;
import io.migrationrunbook.logs.LogSearchResult;
import io.migrationrunbook.logs.SplunkLogSearch;
import io.migrationrunbook.migrate.MigrationFailure;
import io.migrationrunbook.migrate.PendingMigration;
import io.migrationrunbook.migrate.MigrationResult;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.migrate.Migrator;
import io.migrationrunbook.notify.Notification;
import io.migrationrunbook.policy.ReleasePolicy;
import io.migrationrunbook.precheck.Precheck;
import io.migrationrunbook.precheck.PrecheckResult;
import io.migrationrunbook.precheck.PrecheckSettings;
import io.migrationrunbook.notify.Notifier;
import io.migrationrunbook.notify.RunEvent;
import io.migrationrunbook.notify.Webhook;
import io.migrationrunbook.notify.WebhookFormat;
import io.migrationrunbook.report.Approval;
import io.migrationrunbook.report.RunRecorder;
import io.migrationrunbook.report.RunReport;
import io.migrationrunbook.schema.SchemaSnapshot;
import io.migrationrunbook.schema.SnapshotOptions;
import io.migrationrunbook.schema.SnapshotReader;
import io.migrationrunbook.smoke.SmokeFile;
import io.migrationrunbook.smoke.SmokeResult;
import io.migrationrunbook.smoke.SmokeSettings;
import io.migrationrunbook.verify.Expectations;
import io.migrationrunbook.verify.IntegrityAssertion;
import io.migrationrunbook.verify.VerificationReport;
import io.migrationrunbook.verify.VerificationSettings;
import io.migrationrunbook.verify.Verifier;
import io.migrationrunbook.window.MaintenanceWindow;
import io.migrationrunbook.window.WindowGate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code runbook run}: the guide's runbook in its order — window, pre-checks, approval, notify, backup, pause (only when
 * needed), migrate, verify, resume, smoke, lag, error checks, notify — recorded step by step into the run report.
 * Everything the plan names is resolved and checked before the first side effect. On a failure after the pause the
 * consumers stay paused (unless the plan says otherwise) and the report says how to resume or restore.
 */
public final class PlanRunner {

    private final RunPlan plan;
    private final Path planDirectory;
    private final Path outputDirectory;
    private final Approver approver;
    private final HumanGate humanGate;
    private final ReleaseAdvisor advisor;
    private final ReleasePolicy policy;
    private final Progress progress;
    private final Clock clock;

    private PlanRunner(Builder b) {
        this.plan = b.plan;
        this.planDirectory = b.planDirectory;
        this.outputDirectory = b.outputDirectory;
        this.approver = b.approver;
        this.humanGate = b.humanGate;
        this.advisor = b.advisor;
        this.policy = b.policy;
        this.progress = b.progress;
        this.clock = b.clock;
    }

    public static Builder builder(RunPlan plan, Path planDirectory, Path outputDirectory) {
        return new Builder(plan, planDirectory, outputDirectory);
    }

    /** Everything a run needs that is not in the plan. */
    public static final class Builder {
        private final RunPlan plan;
        private final Path planDirectory;
        private final Path outputDirectory;
        private Approver approver = Approver.refuseAll();
        private HumanGate humanGate = HumanGate.refuseAll();
        private ReleaseAdvisor advisor = ReleaseAdvisor.alwaysPause();
        private ReleasePolicy policy = ReleasePolicy.defaults();
        private Progress progress = Progress.silent();
        private Clock clock = Clock.systemUTC();

        private Builder(RunPlan plan, Path planDirectory, Path outputDirectory) {
            this.plan = plan;
            this.planDirectory = planDirectory;
            this.outputDirectory = outputDirectory;
        }

        public Builder approver(Approver value) {
            approver = value;
            return this;
        }

        public Builder humanGate(HumanGate value) {
            humanGate = value;
            return this;
        }

        public Builder advisor(ReleaseAdvisor value) {
            advisor = value;
            return this;
        }

        /** The release policy the pre-checks apply (the advisor applies its own; give both the same). */
        public Builder policy(ReleasePolicy value) {
            policy = value;
            return this;
        }

        public Builder progress(Progress value) {
            progress = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public PlanRunner build() {
            return new PlanRunner(this);
        }
    }

    /** What the plan resolves to: every file read and every secret found, before anything changes. */
    private record Resolved(DatabaseTarget database, MigrationSettings migrations, ConsumersConfig consumers, Path stateDir,
                            VerificationSettings verification, boolean rowCounts, Notifier notifier,
                            MaintenanceWindow window, Duration estimate, Duration waitUpTo, SplunkLogSearch logs,
                            SmokeSettings smoke) {
    }

    public RunReport run() {
        String title = plan.name() == null ? "Database migration" : plan.name();
        RunReport report = new RunReport(runId(), title, clock.instant());
        RunRecorder recorder = new RunRecorder(report, outputDirectory, progress, clock);
        Resolved r = resolve();
        report.putFact("database", r.database().user() + "@" + r.database().host() + ":" + r.database().port() + "/" + r.database().database());
        report.putFact("outputDirectory", outputDirectory.toString());
        boolean paused = false;
        boolean resumed = false;
        BackupResult backup = null;
        try {
            if (r.window() != null) {
                recorder.step("maintenanceWindow", () -> WindowGate.system().await(r.window(), r.estimate(), r.waitUpTo(), progress));
            }
            Migrator migrator = new Migrator(r.database(), r.migrations());
            AtomicReference<PauseAdvice> adviceHolder = new AtomicReference<>();
            AtomicReference<PauseState> leftPaused = new AtomicReference<>();
            PrecheckResult precheck = recorder.step("migrationPrecheck", () -> {
                        PrecheckResult result = Precheck.of(r.database(), precheckSettings(r)).run(progress);
                        if (result.passed()) {
                            // the policy's refusal fails this step too: nothing has changed yet
                            PauseAdvice decided = advise(recorder, r, pending(result));
                            adviceHolder.set(decided);
                            // a pause a failed run left: taken over, or refused here, before anything changes
                            leftPaused.set(pauseLeftByEarlierRun(r, decided));
                        }
                        return result;
                    }, PrecheckResult::passed,
                    p -> "pre-checks failed: " + p.failureSummary());
            PauseAdvice advice = adviceHolder.get();
            List<PendingMigration> pending = pending(precheck);
            if (pending.isEmpty()) {
                report.putFact("pending", 0);
                progress.report("Nothing to migrate: the database is at version %s.", precheck.currentVersion());
            }
            gate(recorder, r, advice, planSummary(precheck, advice));
            boolean adopting = leftPaused.get() != null;
            if (adopting) {
                // verified from Kafka before the backup: consumers someone resumed by hand stop the run before any change
                PauseResult pause = recorder.step("pauseConsumers", () -> PauseConsumers.with(r.consumers()).stateDir(r.stateDir())
                                .humanGate(humanGate).progress(progress).requestedBy(report.getRunId()).adopt(),
                        PauseResult::passed, PauseResult::reason);
                paused = true;
                report.pauseRequested(pause.adopted().pausedAt());
                report.putFact("consumerState", pause.stateFile());
                report.putFact("pauseAdopted", adoptedFact(pause.adopted()));
            }
            notify(r, RunEvent.STARTED, title, pending.size() + " migration(s) pending; "
                    + (adopting ? "consumers stay paused (the pause of an earlier run is taken over)"
                    : advice.pause() ? "consumers will be paused" : "no pause needed"));

            ErrorRates errorBaseline = null;
            if (dbErrorsEnabled()) {
                errorBaseline = new ErrorRateSampler(clock).measure(r.database(), dbErrorsWindow(), progress);
                report.putFact("dbErrorBaseline", errorBaseline);
            }
            if (plan.backup() == null || !Boolean.FALSE.equals(plan.backup().enabled())) {
                backup = recorder.step("dbBackup", () -> Backup.run(r.database(), backupSettings(r), progress));
                report.putFact("backupFile", backup.file());
            } else {
                recorder.skip("dbBackup", "the plan disables the backup (backup.enabled: false)");
            }
            SchemaSnapshot rowBaseline = r.rowCounts()
                    ? SnapshotReader.read(r.database(), SnapshotOptions.defaults().withRowCounts(true), progress) : null;

            if (adopting) {
                progress.report("Consumers stay paused: the pause of an earlier run was taken over (%s)", r.stateDir());
            } else if (r.consumers() == null) {
                recorder.skip("pauseConsumers", "the plan configures no consumers");
            } else if (!advice.pause()) {
                recorder.skip("pauseConsumers", advice.why());
            } else {
                report.pauseRequested(clock.instant());
                paused = true;
                PauseResult pause = recorder.step("pauseConsumers",
                        () -> PauseConsumers.with(r.consumers()).stateDir(r.stateDir()).humanGate(humanGate).progress(progress)
                                .requestedBy(report.getRunId()).execute(),
                        PauseResult::passed, PauseResult::reason);
                report.putFact("consumerState", pause.stateFile());
            }

            MigrationResult migration = recorder.step("flywayMigrate", () -> migrator.migrate(progress),
                    MigrationResult::succeeded, m -> m.failure() == null ? "failed" : m.failure().message());
            VerificationSettings verification = rowBaseline == null ? r.verification()
                    : r.verification().withRowCountBaseline(rowBaseline);
            if (verification.effectiveFlywayVersion() == null && migration.finalVersion() != null) {
                verification = verification.withFlywayVersion(migration.finalVersion());
            }
            VerificationSettings finalVerification = verification;
            recorder.step("verifySchema", () -> Verifier.verify(r.database(), finalVerification, progress),
                    VerificationReport::passed, v -> v.failures().size() + " check(s) failed: " + v.failures());

            ResumeResult resume = null;
            if (paused) {
                resume = recorder.step("resumeConsumers",
                        () -> ResumeConsumers.from(r.stateDir()).humanGate(humanGate).progress(progress).execute(),
                        ResumeResult::passed, ResumeResult::reason);
                resumed = true;
                report.resumeVerified(clock.instant());
            }

            if (r.smoke() != null) {
                recorder.step("smokeTestApi", () -> r.smoke().progress(progress).run(), SmokeResult::passed, SmokeResult::summary);
            } else {
                recorder.skip("smokeTestApi", "the plan configures no API checks");
            }

            if (r.consumers() != null) {
                ResumeResult finalResume = resume;
                LagCheckResult lag = recorder.step("checkConsumerLag", () -> lagCheck(r, finalResume, report),
                        LagCheckResult::passed, LagCheckResult::reason);
                report.putFact("lagOutcome", lag.outcome());
            } else {
                recorder.skip("checkConsumerLag", "the plan configures no consumers");
            }
            if (errorBaseline != null) {
                ErrorRates before = errorBaseline;
                recorder.step("checkDbErrors", () -> ErrorRateComparison.compare(before,
                                new ErrorRateSampler(clock).measure(r.database(), dbErrorsWindow(), progress),
                                valueOr(plan.dbErrors().factor(), 2.0), valueOr(plan.dbErrors().minRate(), 0.1)),
                        ErrorRateComparison::passed, ErrorRateComparison::summary);
            }
            if (r.logs() != null) {
                recorder.step("checkLogs", () -> r.logs().search(plan.logs().query(), report.getStartedAt(), clock.instant(), 5)
                                .within(valueOr(plan.logs().maxErrors(), 0L)),
                        LogSearchResult.Verdict::passed, LogSearchResult.Verdict::message);
            }
        } catch (RuntimeException failure) {
            handleFailure(report, r, paused, resumed, backup, failure);
            skipTheRest(recorder, failure);
        } catch (Error error) {
            // An OutOfMemoryError or StackOverflowError in a step: the report and its next actions matter most now
            // (consumers may be paused), so write them as far as the JVM still can, then let the Error go on.
            try {
                handleFailure(report, r, paused, resumed, backup, error);
                skipTheRest(recorder, error);
                RunReport finished = recorder.finish();
                notify(r, RunEvent.FAILED, title, failureSummary(finished), outputDirectory.resolve("report.html").toString());
                recorder.save();
            } catch (Throwable reporting) {
                error.addSuppressed(reporting);
            }
            throw error;
        }
        RunReport finished = recorder.finish();
        notify(r, RunReport.SUCCEEDED.equals(finished.getStatus()) ? RunEvent.SUCCEEDED : RunEvent.FAILED, title,
                failureSummary(finished), outputDirectory.resolve("report.html").toString());
        recorder.save();
        return finished;
    }

    /**
     * The classification and policy decision (the advisor throws when the policy refuses the release), then whether
     * to pause: the plan may force it (consumers.pause always/never); with {@code auto} the classification decides.
     */
    private PauseAdvice advise(RunRecorder recorder, Resolved r, List<PendingMigration> pending) {
        PauseAdvice classified = advisor.advise(r.database(), pending, r.migrations().placeholders());
        if (classified.details() != null) {
            recorder.report().putFact("classification", classified.details());
        }
        PauseAdvice advice;
        if (plan.consumers() == null) {
            advice = classified.withPause(false, "the plan configures no consumers");
        } else {
            String mode = plan.consumers().pause() == null ? "auto" : plan.consumers().pause();
            advice = switch (mode) {
                case "always" -> classified.withPause(true, "the plan says to always pause (consumers.pause: always)");
                case "never" -> classified.withPause(false, "the plan says never to pause (consumers.pause: never)");
                default -> classified;
            };
            recorder.report().putFact("pauseDecision", advice.why());
        }
        return advice;
    }

    /**
     * A pause state in the state directory that no resume completed: what a failed run leaves (consumers kept paused
     * for a forward fix). When this run pauses too and the state is a verified pause of the same controllers and
     * groups, the run takes it over (returned; verified from Kafka after the approval, before the backup). Otherwise
     * it refuses: a pause of other consumers, or one not verified or half resumed, is for a human to sort out; and a
     * run that does not pause would run the migration with those consumers still paused and leave them so.
     */
    private PauseState pauseLeftByEarlierRun(Resolved r, PauseAdvice advice) {
        if (r.consumers() == null) {
            return null;
        }
        PauseState state = PauseState.load(r.stateDir());
        if (state == null || state.isResumed()) {
            return null;
        }
        Path file = PauseState.file(r.stateDir());
        if (!advice.pause()) {
            throw RunbookException.configuration("The pause state " + file + " is not resumed (status " + state.status()
                    + ", paused since " + state.pauseRequestedAt() + (state.pausedBy() == null ? "" : " by " + state.pausedBy())
                    + "), but this run does not pause the consumers (" + advice.why() + "), so it would leave them paused. "
                    + "Resume them first with `runbook resume --state-dir " + r.stateDir() + "` and run again, or set "
                    + "consumers.pause: always in the plan to keep them paused through this run (it takes the pause over "
                    + "and resumes them at the end).");
        }
        return PauseConsumers.with(r.consumers()).stateDir(r.stateDir()).checkAdoptable();
    }

    private static String adoptedFact(PauseResult.Adoption adoption) {
        return "consumers paused since " + adoption.pausedAt() + (adoption.pausedBy() == null ? "" : " by " + adoption.pausedBy())
                + ", taken over from " + adoption.stateFile() + " (status " + adoption.previousStatus() + "); baseline lag "
                + adoption.baselineLag() + " from that pause; pauseWindowMs counts from " + adoption.pausedAt();
    }

    private static List<PendingMigration> pending(PrecheckResult precheck) {
        return precheck.plan().pending().stream().map(m -> new PendingMigration(m.version(), m.description(), m.script(),
                null, m.file(), m.transactional())).toList();
    }

    private PrecheckSettings precheckSettings(Resolved r) {
        Path backupDirectory = null;
        if (plan.backup() == null || !Boolean.FALSE.equals(plan.backup().enabled())) {
            backupDirectory = plan.backup() != null && plan.backup().directory() != null ? resolvePath(plan.backup().directory())
                    : outputDirectory.resolve("backups");
        }
        return PrecheckSettings.create().migrations(r.migrations()).backupDirectory(backupDirectory).policy(policy);
    }

    /** An approval gate, recorded as the {@code migrationApproval} step (the shared library's var of the same name). */
    private void gate(RunRecorder recorder, Resolved r, PauseAdvice advice, String summary) {
        boolean planGate = plan.gates() != null && Boolean.TRUE.equals(plan.gates().approvePlan());
        if (!planGate && !advice.needsApproval()) {
            recorder.skip("migrationApproval", "the plan requires no approval (gates.approvePlan is not true) and the release needs none");
            return;
        }
        // breaking changes need a human's approval whatever the plan says: the release policy asks for it
        String gate = advice.needsApproval() ? "approveBreaking" : "approvePlan";
        notify(r, RunEvent.WAITING_FOR_APPROVAL, plan.name(), summary);
        Approval approval = recorder.step("migrationApproval", () -> approver.approve(gate, summary), a -> a != null,
                a -> "not approved at gate '" + gate + "': nothing was changed");
        recorder.report().addApproval(approval);
    }

    private static String planSummary(PrecheckResult precheck, PauseAdvice advice) {
        StringBuilder text = new StringBuilder("Database ").append(precheck.database()).append(" at version ")
                .append(precheck.currentVersion() == null ? "<empty>" : precheck.currentVersion()).append('\n');
        precheck.plan().pending().forEach(p -> text.append("  pending ").append(p.version() == null ? "R" : "V" + p.version())
                .append(' ').append(p.description()).append(p.classes().isEmpty() ? "" : "  [" + p.classes().stream()
                        .map(io.migrationrunbook.policy.ChangeClass::label).collect(java.util.stream.Collectors.joining(", ")) + "]")
                .append('\n'));
        precheck.checks().stream().filter(c -> c.status() == io.migrationrunbook.precheck.CheckStatus.WARN)
                .forEach(c -> text.append("  warning: ").append(c.id()).append(": ").append(c.summary()).append('\n'));
        if (advice.needsApproval()) {
            text.append("Needs approval: ").append(String.join("; ", advice.approvals())).append('\n');
        }
        text.append(advice.pause() ? "Consumers will be paused: " : "No pause: ").append(advice.why());
        return text.toString();
    }

    private LagCheckResult lagCheck(Resolved r, ResumeResult resume, RunReport report) {
        CheckConsumerLag check = lagSettings(r.consumers())
                .onSample((at, totalLag) -> report.addLagSample(new RunReport.LagSample(at, totalLag)))
                .progress(progress);
        Long maxLag = maxLag(r.consumers());
        Map<String, Long> baselines = resume == null ? Map.of() : resume.baselineLag();
        for (String group : r.consumers().groups()) {
            Long baseline = baselines == null ? null : baselines.get(group);
            if (baseline != null && maxLag == null) {
                check.group(group, baseline);
            } else {
                check.group(group);
            }
        }
        if (maxLag != null) {
            check.maxLag(maxLag);
        } else if (resume == null) {
            check.maxLag(0L);
        }
        return check.execute();
    }

    /** The plan's lag settings over the consumers configuration's defaults; maxLag is set by the caller. */
    private CheckConsumerLag lagSettings(ConsumersConfig consumers) {
        ConsumersConfig.LagDefaults defaults = consumers.lag();
        RunPlan.Lag lag = plan.lag();
        return CheckConsumerLag.on(consumers.kafka())
                .samples(lag != null && lag.samples() != null ? lag.samples() : defaults.samples())
                .interval(lag != null && lag.interval() != null ? Durations.parse(lag.interval()) : defaults.interval())
                .deadline(lag != null && lag.deadline() != null ? Durations.parse(lag.deadline()) : defaults.deadline());
    }

    private Long maxLag(ConsumersConfig consumers) {
        RunPlan.Lag lag = plan.lag();
        return lag != null && lag.maxLag() != null ? lag.maxLag() : consumers.lag().maxLag();
    }

    private void handleFailure(RunReport report, Resolved r, boolean paused, boolean resumed, BackupResult backup, Throwable failure) {
        progress.report("✗ The run failed: %s", RunRecorder.describe(failure));
        report.fail(RunRecorder.describe(failure));
        boolean schemaChanged = report.step("flywayMigrate") != null;
        if (paused && !resumed && nothingPaused(r.stateDir())) {
            report.pauseNotStarted();
            report.addNextAction("The consumers were not paused (the pause failed before any controller was asked, state dir "
                    + r.stateDir() + "): nothing to resume.");
        } else if (paused && !resumed && pauseUndone(report)) {
            PauseResult pause = (PauseResult) report.step("pauseConsumers").details();
            if (pause.resumeErrors() == null || pause.resumeErrors().isEmpty()) {
                report.resumeVerified(clock.instant());
            }
            report.addNextAction("The pause could not be proven (" + pause.reason() + "), so the runbook resumed the consumers"
                    + (pause.resumeErrors() == null || pause.resumeErrors().isEmpty() ? "" : " — with errors: " + pause.resumeErrors())
                    + ". If in doubt, `runbook resume --state-dir " + r.stateDir() + "` is idempotent.");
        } else if (paused && !resumed) {
            if (resumeOnFailure() && failure instanceof Error) {
                // no further side effects from a JVM that just ran out of memory or stack: a human resumes
                report.addNextAction("Consumers are STILL PAUSED (state in " + r.stateDir() + "): the run stopped on "
                        + RunRecorder.describe(failure) + ", so it did not resume them (onFailure.resumeConsumers). Events queue "
                        + "up in Kafka, nothing is lost. Resume them with `runbook resume --state-dir " + r.stateDir() + "`.");
            } else if (resumeOnFailure()) {
                try {
                    ResumeResult resume = ResumeConsumers.from(r.stateDir()).humanGate(humanGate).progress(progress).execute();
                    report.resumeVerified(clock.instant());
                    report.addNextAction("Consumers were resumed after the failure (onFailure.resumeConsumers: true): " + resume.outcome());
                } catch (RuntimeException e) {
                    report.addNextAction("Resuming the consumers after the failure FAILED (" + e.getMessage()
                            + "): resume them with `runbook resume --state-dir " + r.stateDir() + "`.");
                }
            } else {
                report.addNextAction("Consumers are STILL PAUSED (state in " + r.stateDir() + "): events queue up in Kafka, nothing is lost. "
                        + "Either fix forward and run the runbook again with the same plan — the rerun takes this pause over (it "
                        + "checks from Kafka that the consumers are still paused, keeps them paused and the pre-pause lag baseline, "
                        + "and resumes them at the end) — or, once the database is right, resume them with `runbook resume "
                        + "--state-dir " + r.stateDir() + "`.");
            }
        }
        if (notAdopted(report)) {
            PauseResult pause = (PauseResult) report.step("pauseConsumers").details();
            report.addNextAction("The consumers were not paused by this run, nor taken over: " + pause.reason());
        }
        if (!schemaChanged) {
            report.addNextAction("The database was not changed: fix the cause above and run the runbook again.");
            return;
        }
        MigrationFailure lost = connectionLost(report);
        ConnectionLostException lostOutside = lost == null ? lostConnection(failure) : null;
        // the server went away: bring it back and run again (not a forward fix), the same words whatever was running
        String bringBackAndRerun = "Once " + r.database().host() + ":" + r.database().port() + " accepts connections again, check "
                + "the schema history (`" + dryRunCommand(r.database(), r.migrations()) + "`), then run the runbook again"
                + (paused && !resumed && !resumeOnFailure() ? " (it takes the pause over: the consumers stay paused until it "
                + "resumes them)" : "");
        if (lostOutside != null) {
            // the migrations are not at fault: the server went away while the runbook read or checked (history, verify, ...)
            report.addNextAction("The database connection was lost outside a migration (SQLSTATE " + lostOutside.sqlState()
                    + ", see the failed step): nothing is wrong with the migrations. " + bringBackAndRerun + ": it applies only "
                    + "what the history does not hold yet and repeats the checks.");
        } else if (lost != null) {
            String label = "V" + lost.version();
            report.addNextAction("The database connection was lost during " + label + " (" + lost.script() + "): nothing is wrong "
                    + "with the migration. " + bringBackAndRerun + ": " + (Boolean.TRUE.equals(lost.rolledBack())
                    ? label + " rolled back and is applied from the start."
                    : Boolean.TRUE.equals(lost.transactional()) ? "it applies " + label + " if the history does not hold it yet."
                    : "first undo or complete what " + label + " left (it ran outside a transaction): `runbook repair` shows its "
                    + "failed history row and INVALID indexes, and `runbook repair --apply` removes them."));
        } else {
            report.addNextAction(forwardFixAdvice(migrationFailure(report)));
        }
        if (backup != null) {
            report.addNextAction("If data is corrupted: restore the backup taken before the migration with `runbook restore --from "
                    + shellWord(String.valueOf(backup.file())) + " --db-url " + shellWord(r.database().jdbcUrl()) + " --db-user "
                    + shellWord(r.database().user())
                    + "` (into a new database; add --replace to restore over the target), then redeploy the previous stable "
                    + "application version.");
        }
    }

    /** The connection loss a step failed on (DatabaseTarget.lostConnection), anywhere in the cause chain, else null. */
    private static ConnectionLostException lostConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionLostException lost) {
                return lost;
            }
        }
        return null;
    }

    /** The migration failure when the connection to the database broke under it (the server went away). */
    private static MigrationFailure connectionLost(RunReport report) {
        MigrationFailure failure = migrationFailure(report);
        return failure != null && failure.kind() == MigrationFailure.Kind.CONNECTION_LOST ? failure : null;
    }

    private static MigrationFailure migrationFailure(RunReport report) {
        io.migrationrunbook.report.StepRecord step = report.step("flywayMigrate");
        return step != null && step.details() instanceof MigrationResult result ? result.failure() : null;
    }

    /**
     * Forward-only means never editing an APPLIED migration; the one that failed and rolled back was never applied, so it
     * is fixed in place. One that failed outside a transaction left a history row and maybe an INVALID index: repair first.
     */
    static String forwardFixAdvice(MigrationFailure failure) {
        if (failure == null || failure.version() == null) {
            return "Forward-only: fix the failing migration and run the runbook again (never edit a migration that was applied; "
                    + "add a new one).";
        }
        String label = "V" + failure.version() + " (" + failure.script() + ")";
        if (failure.failedHistoryEntry()) {
            return "Forward-only: " + label + " ran outside a transaction and left a failed row in the schema history (and maybe an "
                    + "INVALID index): run `runbook repair` to see it and `runbook repair --apply` to clean it up, then fix " + label
                    + " and run the runbook again.";
        }
        if (Boolean.TRUE.equals(failure.rolledBack())) {
            return "Forward-only: " + label + " rolled back, so nothing of it was applied and the schema history does not hold it: "
                    + "fix " + label + " itself and run the runbook again; the migrations applied before it stay as they are.";
        }
        return "Forward-only: fix " + label + " and run the runbook again (never edit a migration that was applied; add a new one).";
    }

    private boolean resumeOnFailure() {
        return plan.onFailure() != null && Boolean.TRUE.equals(plan.onFailure().resumeConsumers());
    }

    /**
     * The pause state is written before the first controller is asked: without one (or with one a resume completed),
     * this run paused nothing, and telling a human the consumers are still paused would send them after nothing.
     */
    private static boolean nothingPaused(Path stateDir) {
        try {
            PauseState state = PauseState.load(stateDir);
            return state == null || state.isResumed();
        } catch (RuntimeException unreadable) {
            return false; // cannot tell: say they may still be paused
        }
    }

    /** The guide's steps in order: those a failure prevented are recorded as SKIPPED, so the report shows the whole runbook. */
    static final List<String> RUNBOOK_ORDER = List.of("maintenanceWindow", "migrationPrecheck", "migrationApproval", "dbBackup",
            "pauseConsumers", "flywayMigrate", "verifySchema", "resumeConsumers", "smokeTestApi", "checkConsumerLag",
            "checkDbErrors", "checkLogs");

    private void skipTheRest(RunRecorder recorder, Throwable failure) {
        List<String> done = recorder.report().getSteps().stream().map(io.migrationrunbook.report.StepRecord::name).toList();
        // the furthest step in the guide's order that ran: a taken-over pause runs before the backup, out of that order
        int from = done.stream().mapToInt(RUNBOOK_ORDER::indexOf).max().orElse(-1) + 1;
        if (done.contains("pauseConsumers") && !done.contains("dbBackup")) {
            from = Math.min(from, RUNBOOK_ORDER.indexOf("dbBackup"));
        }
        String failed = recorder.report().getSteps().stream().filter(s -> s.status() == io.migrationrunbook.report.StepStatus.FAILED)
                .map(io.migrationrunbook.report.StepRecord::name).findFirst().orElse(null);
        String why = failed != null ? "not run: " + failed + " failed" : "not run: " + RunRecorder.describe(failure);
        for (String step : RUNBOOK_ORDER.subList(Math.max(0, from), RUNBOOK_ORDER.size())) {
            if (!done.contains(step) && applies(step)) {
                recorder.skip(step, why);
            }
        }
    }

    private boolean applies(String step) {
        return switch (step) {
            case "maintenanceWindow" -> plan.window() != null;
            case "checkDbErrors" -> dbErrorsEnabled();
            case "checkLogs" -> plan.logs() != null;
            default -> true;
        };
    }

    /** A pause that failed verification and was undone by the pause itself (best-effort resume). */
    private static boolean pauseUndone(RunReport report) {
        io.migrationrunbook.report.StepRecord step = report.step("pauseConsumers");
        return step != null && step.status() == io.migrationrunbook.report.StepStatus.FAILED
                && step.details() instanceof PauseResult pause && pause.resumedAfterFailure();
    }

    /** A pause an earlier run left that this run found not to hold any more (so it paused nothing itself). */
    private static boolean notAdopted(RunReport report) {
        io.migrationrunbook.report.StepRecord step = report.step("pauseConsumers");
        return step != null && step.status() == io.migrationrunbook.report.StepStatus.FAILED
                && step.details() instanceof PauseResult pause && "NOT_ADOPTED".equals(pause.outcome());
    }

    /** What failed and the first thing a human must do: the FAILED notification carries both. */
    private static String failureSummary(RunReport report) {
        String failed = report.getSteps().stream().filter(s -> s.status() == io.migrationrunbook.report.StepStatus.FAILED)
                .map(s -> s.name() + " failed: " + s.reason()).findFirst().orElse(report.getFailure());
        if (failed == null || report.getNextActions().isEmpty()) {
            return failed;
        }
        return failed + "\nNext: " + report.getNextActions().get(0);
    }

    private void notify(Resolved r, RunEvent event, String title, String detail) {
        notify(r, event, title, detail, null);
    }

    /**
     * The dry run a human runs to see the history: the plan's database, locations and Flyway placeholders (the dry run
     * refuses a release whose placeholders lack values). A placeholder whose name says credential (app_password) shows
     * as **** : this text goes into the report and the notifications.
     */
    static String dryRunCommand(DatabaseTarget database, MigrationSettings migrations) {
        StringBuilder command = new StringBuilder("runbook migrate --dry-run --db-url ").append(shellWord(database.jdbcUrl()))
                .append(" --db-user ").append(shellWord(database.user()))
                .append(" --locations ").append(shellWord(String.join(",", migrations.locations())));
        migrations.placeholders().forEach((name, value) -> command.append(" --placeholder ")
                .append(shellWord(name + "=" + (Secret.looksLikeCredential(name) ? Secret.MASK : value))));
        return command.toString();
    }

    /**
     * One word of a command a human pastes into a POSIX shell: as it is when it holds nothing the shell reads specially,
     * else single-quoted (a JDBC URL's {@code ?a=b&c=d} would otherwise run in the background and lose its parameters).
     */
    static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_.:/=@+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private void notify(Resolved r, RunEvent event, String title, String detail, String link) {
        if (r.notifier() != null) {
            r.notifier().send(new Notification(event, title == null ? "Database migration" : title, detail, link));
        }
    }

    // ---- resolving the plan: everything checked before the first side effect ----

    private Resolved resolve() {
        RunPlan.Database db = plan.database();
        Secret password = db.password() == null ? null : db.password().resolve("database.password");
        DatabaseTarget database = new DatabaseTarget(db.url(), db.user(), password);
        RunPlan.Migrations m = plan.migrations();
        List<String> locations = new ArrayList<>();
        for (String location : m.locations()) {
            locations.add(location.startsWith("filesystem:") ? "filesystem:" + resolvePath(location.substring("filesystem:".length())) : location);
        }
        MigrationSettings migrations = MigrationSettings.create().locations(locations);
        if (m.target() != null) {
            migrations.target(m.target());
        }
        if (m.lockTimeout() != null) {
            migrations.lockTimeout(Durations.parse(m.lockTimeout()));
        }
        if (m.statementTimeout() != null) {
            migrations.statementTimeout(Durations.parse(m.statementTimeout()));
        }
        if (m.lockRetries() != null) {
            migrations.lockRetries(m.lockRetries());
        }
        if (m.placeholders() != null) {
            migrations.placeholders(m.placeholders());
        }
        migrations.check();

        ConsumersConfig consumers = null;
        Path stateDir = null;
        if (plan.consumers() != null) {
            if (plan.consumers().config() == null) {
                throw RunbookException.configuration("consumers.config must name the consumers file (the YAML of `runbook pause --consumers`).");
            }
            consumers = ConsumersConfig.read(resolvePath(plan.consumers().config()));
            stateDir = plan.consumers().stateDir() != null ? resolvePath(plan.consumers().stateDir()) : outputDirectory.resolve("consumers");
        }

        VerificationSettings verification = VerificationSettings.none();
        boolean rowCounts = false;
        if (plan.verify() != null) {
            if (plan.verify().expect() != null) {
                verification = verification.withExpectations(Expectations.read(resolvePath(plan.verify().expect())));
            }
            if (plan.verify().assertions() != null) {
                for (String sql : plan.verify().assertions()) {
                    verification = verification.withAssertion(IntegrityAssertion.of(sql));
                }
            }
            rowCounts = Boolean.TRUE.equals(plan.verify().rowCounts());
        }
        // the run always verifies the Flyway version it migrated to, so a plan without a verify section is not "nothing to verify"
        if (plan.verify() != null && (plan.verify().expect() != null || plan.verify().assertions() != null)) {
            verification.validate();
        }

        Notifier notifier = null;
        if (plan.notifications() != null && !plan.notifications().isEmpty()) {
            List<Webhook> hooks = new ArrayList<>();
            for (int i = 0; i < plan.notifications().size(); i++) {
                RunPlan.Webhook w = plan.notifications().get(i);
                String key = "notifications[" + i + "]";
                if (w.url() == null) {
                    throw RunbookException.configuration(key + ".url is missing: give {env: VARIABLE} or {file: PATH}.");
                }
                WebhookFormat format;
                try {
                    format = WebhookFormat.valueOf((w.format() == null ? "slack" : w.format()).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw RunbookException.configuration(key + ".format must be slack or teams, got '" + w.format() + "'.");
                }
                Set<RunEvent> events = EnumSet.noneOf(RunEvent.class);
                if (w.events() != null) {
                    for (String event : w.events()) {
                        try {
                            events.add(RunEvent.valueOf(event.toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw RunbookException.configuration(key + ".events: unknown event '" + event + "' (STARTED, WAITING_FOR_APPROVAL, SUCCEEDED, FAILED).");
                        }
                    }
                }
                hooks.add(new Webhook(w.name() == null ? key : w.name(), format, w.url().resolve(key + ".url"), events));
            }
            notifier = new Notifier(hooks, progress);
        }

        MaintenanceWindow window = null;
        Duration estimate = Duration.ZERO;
        Duration waitUpTo = Duration.ZERO;
        if (plan.window() != null) {
            RunPlan.Window w = plan.window();
            window = MaintenanceWindow.parse(w.days(), w.from(), w.to(), w.zone());
            estimate = w.estimate() == null ? Duration.ZERO : Durations.parse(w.estimate());
            waitUpTo = w.waitUpTo() == null ? Duration.ZERO : Durations.parse(w.waitUpTo());
        }
        SplunkLogSearch logs = null;
        if (plan.logs() != null) {
            if (plan.logs().query() == null || plan.logs().splunkUrl() == null) {
                throw RunbookException.configuration("logs needs splunkUrl and query.");
            }
            if (plan.logs().token() == null) {
                throw RunbookException.configuration("logs.token is missing: give {env: VARIABLE} or {file: PATH}.");
            }
            logs = SplunkLogSearch.withToken(plan.logs().splunkUrl(), plan.logs().token().resolve("logs.token"));
        }
        SmokeSettings smoke = null;
        if (plan.smoke() != null) {
            if (plan.smoke().checks() == null) {
                throw RunbookException.configuration("smoke.checks must name the checks file (the YAML of `runbook smoke --checks`).");
            }
            smoke = SmokeFile.load(resolvePath(plan.smoke().checks())).toSettings();
            if (plan.smoke().baseUrl() != null) {
                smoke.baseUrl(plan.smoke().baseUrl());
            }
        }
        if (dbErrorsEnabled()) {
            dbErrorsWindow();
            if (plan.dbErrors().factor() != null && plan.dbErrors().factor() < 1) {
                throw RunbookException.configuration("dbErrors.factor must be at least 1 (a rate fails above factor × its baseline), got "
                        + plan.dbErrors().factor() + ".");
            }
            if (plan.dbErrors().minRate() != null && plan.dbErrors().minRate() < 0) {
                throw RunbookException.configuration("dbErrors.minRate must be 0 or more (events per second), got "
                        + plan.dbErrors().minRate() + ".");
            }
        }
        if (plan.backup() != null) {
            BackupFormat.parse(plan.backup().format(), "backup.format"); // a typo must not quietly become the default format
        }
        checkLag(plan.lag());
        if (consumers != null) {
            try {
                lagSettings(consumers).maxLag(maxLag(consumers)).checkSettings();
            } catch (RunbookException e) {
                throw RunbookException.configuration("The lag check after the migration (plan lag over the consumers file's lag): "
                        + e.getMessage());
            }
        }
        return new Resolved(database, migrations, consumers, stateDir, verification, rowCounts, notifier, window,
                estimate, waitUpTo, logs, smoke);
    }

    /** The lag settings are used only after the migration: a mistake in them must still stop the run before it starts. */
    private static void checkLag(RunPlan.Lag lag) {
        if (lag == null) {
            return;
        }
        if (lag.samples() != null && lag.samples() < 2) {
            throw RunbookException.configuration("lag.samples must be at least 2 (a trend needs two samples), got " + lag.samples() + ".");
        }
        String[][] durations = {{"lag.interval", lag.interval()}, {"lag.deadline", lag.deadline()}};
        for (String[] duration : durations) {
            if (duration[1] != null) {
                try {
                    Durations.parse(duration[1]);
                } catch (RunbookException e) {
                    throw RunbookException.configuration(duration[0] + ": " + e.getMessage());
                }
            }
        }
    }

    private BackupSettings backupSettings(Resolved r) {
        RunPlan.Backup b = plan.backup();
        Path directory = b != null && b.directory() != null ? resolvePath(b.directory()) : outputDirectory.resolve("backups");
        BackupFormat format = BackupFormat.parse(b == null ? null : b.format(), "backup.format");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        String name = r.database().database() + "-" + stamp + (format == BackupFormat.CUSTOM ? ".dump" : ".dir");
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw RunbookException.environment("Cannot create the backup directory " + directory + ": " + e.getMessage(), e);
        }
        BackupSettings settings = new BackupSettings().out(directory.resolve(name)).format(format);
        if (b != null && b.jobs() != null) {
            settings.jobs(b.jobs());
        }
        if (b != null && b.keep() != null) {
            settings.keep(b.keep());
        }
        return settings;
    }

    private boolean dbErrorsEnabled() {
        return plan.dbErrors() != null && !Boolean.FALSE.equals(plan.dbErrors().enabled());
    }

    private Duration dbErrorsWindow() {
        return plan.dbErrors().window() == null ? Duration.ofSeconds(10) : Durations.parse(plan.dbErrors().window());
    }

    private Path resolvePath(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : planDirectory.resolve(p).normalize();
    }

    private static <T> T valueOr(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private String runId() {
        return "run-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(clock.instant())
                + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }
}
