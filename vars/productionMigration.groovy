import io.migrationrunbook.pipeline.Plans
import io.migrationrunbook.pipeline.Report
import io.migrationrunbook.pipeline.RunbookSettings

/**
 * productionMigration(config): the production migration guide end to end, over one database or a fleet.
 *
 *   precheck (+ preChecks) -> approval gate (shows the plan) -> notify -> backup -> freeze auto-deploy
 *   -> per database: pause consumers (only when the plan says so) -> migrate -> verify -> resume
 *      -> smoke test -> consumer lag -> error and log checks
 *   -> unfreeze -> notify -> archive the run report
 * Databases sharing a consumer controller are paused once around all their migrations (migrateUnderSharedPause).
 *
 * A failure from the migration on opens a failure gate: forward-fix (stop, consumers stay paused; the rerun after
 * the fix takes the pause over and resumes at the end), restore the backup and redeploy the previous version, or
 * resume consumers. Databases run in batches of `parallelism`
 * through Jenkins' parallel; a failed batch stops the next ones. Waiting for people happens outside node {}.
 * Configuration keys: docs/shared-library.md and vars/productionMigration.txt.
 */
def call(Map config = [:]) {
    Map cfg
    try {
        cfg = RunbookSettings.normalize(config)
    } catch (IllegalArgumentException e) {
        error(e.message)
    }
    Map report = Report.start(cfg, env.JOB_NAME, env.BUILD_NUMBER)
    Throwable unexpected = null
    try {
        runbook(cfg, report)
    } catch (Throwable t) {
        unexpected = t
        if (!Report.hasFailure(report)) {
            Report.step(report, 'productionMigration', null, Report.FAILED, Report.millis(), null, Report.describe(t))
        }
    }
    Report.finish(report)
    announce(cfg, report.status == 'SUCCEEDED' ? 'succeeded' : 'failed', Report.summary(report), report)
    archiveReport(cfg, report)
    if (unexpected != null) {
        throw unexpected
    }
    if (report.status != 'SUCCEEDED') {
        error(Report.summary(report))
    }
    return report
}

/** The runbook proper; failures of single databases are recorded, not thrown. */
def runbook(Map cfg, Map report) {
    // 1. pre-checks, read-only: nothing changes until the approval
    inBatches(cfg, report, 'migrationPrecheck', cfg.databases) { Map db -> precheck(cfg, report, db) }
    if (Report.hasFailure(report)) {
        Report.nextAction(report, 'Nothing was changed: fix what the precheck reports and run the pipeline again')
        return
    }
    List<Map> work = databasesWithPendingMigrations(cfg, report)
    if (work.isEmpty()) {
        Report.skipped(report, 'migrationApproval', null, 'no database has pending migrations')
        Report.skipped(report, 'dbBackup', null, 'no database has pending migrations')
        return
    }
    // what the plans ask for must be possible before anyone is asked to approve
    String blocker = RunbookSettings.blockerFor(cfg, work, report.facts.plans)
    if (blocker != null) {
        Report.step(report, 'productionMigration', null, Report.FAILED, Report.millis(), null, blocker)
        Report.nextAction(report, 'Nothing was changed: complete the configuration and run the pipeline again')
        return
    }

    // 2. approval gate, outside node {}, showing the plan
    approve(cfg, report, work)
    announce(cfg, 'started', "Migrating ${Report.ids(work)}".toString(), report)

    // 3. backups of every database before anything changes
    inBatches(cfg, report, 'dbBackup', work) { Map db -> backup(cfg, report, db) }
    if (Report.hasFailure(report)) {
        Report.nextAction(report, 'Nothing was migrated: fix the backup and run the pipeline again')
        return
    }

    // 4. auto-deploy frozen around the migrations (once for the fleet), unfrozen whatever happens
    if (cfg.freeze == null) {
        Report.skipped(report, 'freezeAutoDeploy', null, 'no freezeJobs configured')
        migrateAll(cfg, report, work)
        Report.skipped(report, 'unfreezeAutoDeploy', null, 'nothing was frozen')
    } else {
        long frozenAt = Report.millis()
        Map frozen = [at: 0L]
        try {
            withAutoDeployFrozen(cfg.freeze) {
                Report.step(report, 'freezeAutoDeploy', null, Report.PASSED, frozenAt, cfg.freeze, null)
                migrateAll(cfg, report, work)
                frozen.at = Report.millis()
            }
            Report.step(report, 'unfreezeAutoDeploy', null, Report.PASSED, frozen.at as long, cfg.freeze, null)
        } catch (Throwable t) {
            if (frozen.at == 0L && !Report.hasStep(report, 'freezeAutoDeploy', null, null)) {
                Report.step(report, 'freezeAutoDeploy', null, Report.FAILED, frozenAt, cfg.freeze, Report.describe(t))
            } else {
                Report.step(report, 'unfreezeAutoDeploy', null, Report.FAILED, frozen.at ?: frozenAt, cfg.freeze, Report.describe(t))
                Report.nextAction(report, "Check that the auto-deploy jobs ${cfg.freeze} are enabled again")
            }
            throw t
        }
    }
}

/**
 * Databases that share a consumer controller (and at least one of whose plans needs the pause) are migrated under
 * one pause of it (migrateUnderSharedPause); every other database has its own (migrateOne), in batches as before.
 */
def migrateAll(Map cfg, Map report, List<Map> work) {
    List<Map> units = RunbookSettings.pauseUnits(cfg, work, report.facts.plans)
    for (int u = 0; u < units.size(); u++) {
        Map unit = units[u]
        if (unit.shared) {
            if (Report.hasFailure(report)) {
                for (int k = 0; k < unit.databases.size(); k++) {
                    Report.skipped(report, 'flywayMigrate', unit.databases[k].id as String, 'an earlier batch failed: not started')
                }
            } else {
                migrateUnderSharedPause(cfg, report, unit.databases as List<Map>, unit.consumers as Map, unit.controller as String)
            }
        } else {
            inBatches(cfg, report, 'flywayMigrate', unit.databases as List<Map>) { Map db -> migrateOne(cfg, report, db) }
        }
    }
}

/**
 * Several databases, one consumer controller: pause once (verified), migrate and verify every database in batches
 * of `parallelism` inside that one pause, resume once after the last of them, then the post-migration checks (they
 * need the consumers running). A failure in any of them leaves the consumers paused: the block fails on purpose
 * (resumeOnFailure: false), and each failed database gets the failure gate, outside node {}.
 */
def migrateUnderSharedPause(Map cfg, Map report, List<Map> dbs, Map consumers, String controller) {
    List<String> ids = Report.idList(dbs)
    Map fleet = [ids: ids, step: 'pauseConsumers', paused: false, pauseRequestedMs: 0L, states: [:], failed: [:]]
    try {
        onAgent(cfg) {
            // the plugin keeps the pause state in this workspace (stateDir): a later resume must run here
            fleet.agent = env.NODE_NAME
            fleet.workspace = env.WORKSPACE
            Map left = pauseLeftBehind(consumers)
            String reason = Plans.sharedPauseReason(controller, dbs, report.facts.plans)
            if (left != null) {
                reason = "the pause an earlier build left (${Plans.describeLeftPause(left)}) is taken over and resumed at the end; ${reason}"
                fleet.left = left
            }
            if (!Plans.anyPauseNeeded(dbs, report.facts.plans) && left == null) {
                // no plan needs the pause and none is left to take over: each database as without a pause
                fleet.step = 'flywayMigrate'
                fleet.resumed = true // nothing is paused: the checks run right after each migration
                inBatches(cfg, report, 'flywayMigrate', dbs) { Map db -> migrateCoveredUnpaused(cfg, report, db, fleet) }
                return
            }
            fleet.pauseRequestedMs = Plans.leftPauseMillis(left) ?: Report.millis()
            withConsumersPaused(consumers + [resumeOnFailure: false]) {
                fleet.paused = true
                Report.step(report, 'pauseConsumers', null, Report.PASSED, fleet.pauseRequestedMs as long,
                        [reason: reason, databases: ids] + (left != null ? [takenOver: left] : [:]) + consumers, null)
                fleet.step = 'flywayMigrate'
                // the branches run in this node and workspace: a nested node {} could wait for this very executor
                inBatches(cfg, report, 'flywayMigrate', dbs) { Map db -> migrateCovered(cfg, report, db, fleet) }
                if (!fleet.failed.isEmpty()) {
                    error("${fleet.failed.keySet().join(', ')} failed under the pause shared by ${ids.join(', ')}: "
                            + "the consumers of controller '${controller}' stay paused for the failure gate")
                }
                fleet.step = 'resumeConsumers'
                fleet.resumeRequestedMs = Report.millis()
            }
            long resumed = Report.millis()
            fleet.paused = false
            fleet.resumed = true
            Report.step(report, 'resumeConsumers', null, Report.PASSED, fleet.resumeRequestedMs as long,
                    [databases: ids] + consumers, null)
            Report.pauseWindow(report, ids, fleet.pauseRequestedMs as long, resumed)
            fleet.step = 'postChecks'
            inBatches(cfg, report, 'smokeTestApi', dbs) { Map db -> postChecksCovered(cfg, report, db, fleet) }
        }
    } catch (Throwable t) {
        if (fleet.failed.isEmpty()) {
            if (fleet.step != 'resumeConsumers' || Report.interrupted(t)) {
                sharedPauseFailed(report, ids, consumers, controller, fleet, t)
                return
            }
            // everything migrated and verified, the resume failed: the consumers may be STILL PAUSED, a human decides
            Report.step(report, 'resumeConsumers', null, Report.FAILED, fleet.resumeRequestedMs as long,
                    [databases: ids] + consumers, Report.describe(t))
            Report.pauseWindow(report, ids, fleet.pauseRequestedMs as long, null)
            if (!sharedResumeGate(cfg, report, ids, consumers, controller, fleet, t)) {
                return
            }
            // resumed at the gate: the checks that need the consumers running (one after the other: the failed resume
            // is recorded, so inBatches would not start them)
            fleet.paused = false
            fleet.resumed = true
            fleet.step = 'postChecks'
            onAgent(cfg) {
                for (int i = 0; i < dbs.size(); i++) {
                    postChecksCovered(cfg, report, dbs[i], fleet)
                }
            }
        }
    }
    for (int i = 0; i < dbs.size(); i++) {
        Map db = dbs[i]
        Throwable failure = fleet.failed[db.id] as Throwable
        if (failure == null) {
            if (!fleet.resumed && fleet.states[db.id] != null) {
                Report.skipped(report, 'smokeTestApi', db.id as String, "not run: the consumers of controller '${controller}' "
                        + "stay paused after the failure of ${fleet.failed.keySet().join(', ')}".toString())
            }
            continue
        }
        Map state = [:] + (fleet.states[db.id] as Map) + [paused: fleet.paused, pauseRequestedMs: fleet.pauseRequestedMs,
                                                          agent: fleet.agent, workspace: fleet.workspace, sharedBy: ids]
        if (fleet.paused) {
            Report.pauseWindow(report, ids, fleet.pauseRequestedMs as long, null)
        }
        failureGate(cfg, report, db, consumers, state, failure)
        // a resume decided at one database's gate resumed the controller they all share
        fleet.paused = state.paused
    }
}

/** The shared pause itself failed (pause, takeover, resume) or the run was interrupted between the databases. */
def sharedPauseFailed(Map report, List<String> ids, Map consumers, String controller, Map fleet, Throwable t) {
    String step = fleet.step == 'postChecks' ? 'productionMigration' : fleet.step as String
    Report.step(report, step, null, Report.FAILED, Report.millis(), [databases: ids], Report.describe(t))
    String resume = Report.stepCall('resumeConsumers', RunbookSettings.resumeArgs(consumers))
    if (fleet.step == 'pauseConsumers' && fleet.left != null) {
        Report.nextAction(report, "${ids.join(', ')}: the pause an earlier build left (${Plans.describeLeftPause(fleet.left as Map)}) "
                + 'was not taken over and nothing was migrated: do what the pauseConsumers message says (resume those '
                + "consumers, e.g. ${resume}, or remove the state if they already run), then run the pipeline again")
    } else if (fleet.step == 'pauseConsumers') {
        Report.nextAction(report, "${ids.join(', ')}: the pause failed before anything was migrated; the plugin resumes what it "
                + 'paused (check the consumers), then run the pipeline again')
    } else if (fleet.step == 'resumeConsumers') {
        // (an abort during the resume: no gate) everything migrated, so a rerun finds nothing pending and resumes nothing
        Report.pauseWindow(report, ids, fleet.pauseRequestedMs as long, null)
        Report.nextAction(report, "${ids.join(', ')}: migrated and verified, but the resume was interrupted "
                + "(${Report.describe(t)}); the consumers of controller '${controller}' may be STILL PAUSED: resume them with "
                + "${resume} on agent ${fleet.agent} in workspace ${fleet.workspace}, then run their smoke test and lag checks")
    } else if (fleet.paused) {
        Report.pauseWindow(report, ids, fleet.pauseRequestedMs as long, null)
        Report.nextAction(report, "${ids.join(', ')}: ${fleet.step} failed (${Report.describe(t)}); the consumers of controller "
                + "'${controller}' may be STILL PAUSED: check what was migrated, then ${Plans.FORWARD_FIX_RERUN}, or resume "
                + "them with ${resume}")
    }
}

/**
 * The resume at the end of a shared pause failed after every database migrated and verified: the failure gate, outside
 * node {}, with what makes sense now: resume (retry resumeConsumers where the pause state is; when that fails too, the
 * gate is offered again if a person decided) or forward-fix (hand over: consumers stay paused, the next actions give
 * the exact resume call and where). Restore is not offered: the migrations passed their verification. True when the
 * consumers were resumed.
 */
def sharedResumeGate(Map cfg, Map report, List<String> ids, Map consumers, String controller, Map fleet, Throwable failure) {
    List<String> choices = [RunbookSettings.FORWARD_FIX, RunbookSettings.RESUME]
    Map state = [paused: true, pauseRequestedMs: fleet.pauseRequestedMs, agent: fleet.agent, workspace: fleet.workspace, sharedBy: ids]
    Throwable last = failure
    while (true) {
        long started = Report.millis()
        Map d = gateDecision(cfg, gateInputId('ResumeFailed', controller), sharedResumeQuestion(controller, ids, last), choices,
                'forward-fix: stop here, the consumers stay paused and the next actions say how to resume them; resume: resumeConsumers once more',
                last)
        Report.approval(report, "resume-failed:${controller}".toString(), d.decidedBy as String, Report.now(), d.decision as String)
        Report.step(report, 'failureGate', null, Report.PASSED, started,
                [decision: d.decision, decidedBy: d.decidedBy, choices: choices, controller: controller, databases: ids], null)
        if (d.decision != RunbookSettings.RESUME) {
            break
        }
        try {
            resumeAfterFailure(cfg, report, "controller ${controller}".toString(), consumers, state)
            return true
        } catch (Throwable t) {
            last = t
            if (Report.interrupted(t) || d.decidedBy == 'configuration (onFailure)') {
                break // nobody to ask again: hand over
            }
        }
    }
    Report.nextAction(report, "${ids.join(', ')}: migrated and verified, but the consumers of controller '${controller}' are "
            + "STILL PAUSED: the resume failed (${Report.describe(last)}). Resume them with "
            + "${Report.stepCall('resumeConsumers', RunbookSettings.resumeArgs(consumers))} on agent ${fleet.agent} in "
            + "workspace ${fleet.workspace} (where the pause state is), then run their smoke test and lag checks; "
            + 'a rerun finds no pending migration and does not resume them')
    for (int i = 0; i < ids.size(); i++) {
        Report.skipped(report, 'smokeTestApi', ids[i], "not run: the consumers of controller '${controller}' stay paused after the failed resume".toString())
    }
    return false
}

@NonCPS
String sharedResumeQuestion(String controller, List<String> ids, Throwable failure) {
    return ("${ids.join(', ')} migrated and verified, but resuming the consumers of controller '${controller}' (one pause "
            + "shared by them) failed: ${Report.describe(failure)}\nConsumers may be STILL PAUSED. Choose: forward-fix "
            + '(stop here; they stay paused, the report says how to resume them) or resume (resumeConsumers once more)')
}

/** One database's migration and verification inside the shared pause; a failure is recorded for the gate. */
def migrateCovered(Map cfg, Map report, Map db, Map fleet) {
    Map state = [step: 'flywayMigrate', migrated: false]
    fleet.states[db.id] = state
    try {
        migrateAndVerify(cfg, report, db, state)
    } catch (Throwable t) {
        if (!Report.hasStep(report, null, db.id, Report.FAILED)) {
            Report.step(report, state.step as String, db.id, Report.FAILED, Report.millis(), null, Report.describe(t))
        }
        fleet.failed[db.id] = t
    }
}

/** A database sharing the controller when nothing is paused: as migrateOne without a pause; a failure is recorded for the gate. */
def migrateCoveredUnpaused(Map cfg, Map report, Map db, Map fleet) {
    Report.skipped(report, 'pauseConsumers', db.id as String, 'not needed: ' + Plans.pauseReason(report.facts.plans[db.id] as Map))
    migrateCovered(cfg, report, db, fleet)
    if (fleet.failed[db.id] == null) {
        Report.skipped(report, 'resumeConsumers', db.id as String, 'consumers were not paused')
        postChecksCovered(cfg, report, db, fleet)
    }
}

/** After the shared resume: one database's smoke test, lag check and checks; a failure is recorded for the gate. */
def postChecksCovered(Map cfg, Map report, Map db, Map fleet) {
    Map state = fleet.states[db.id] as Map
    try {
        postChecks(cfg, report, db, state)
    } catch (Throwable t) {
        if (!Report.hasStep(report, null, db.id, Report.FAILED)) {
            Report.step(report, state.step as String, db.id, Report.FAILED, Report.millis(), null, Report.describe(t))
        }
        fleet.failed[db.id] = t
    }
}

/**
 * Runs perDatabase over the databases in batches of cfg.parallelism through parallel. After a batch with a
 * failure the next batches do not start (their databases are recorded as skipped).
 */
def inBatches(Map cfg, Map report, String phase, List<Map> dbs, Closure perDatabase) {
    int size = cfg.parallelism as int
    for (int start = 0; start < dbs.size(); start += size) {
        if (Report.hasFailure(report)) {
            for (int k = start; k < dbs.size(); k++) {
                Report.skipped(report, phase, dbs[k].id as String, 'an earlier batch failed: not started')
            }
            return
        }
        int end = Math.min(start + size, dbs.size())
        if (end - start == 1) {
            perDatabase(dbs[start])
        } else {
            Map branches = [:]
            for (int i = start; i < end; i++) {
                Map db = dbs[i]
                branches["${phase} ${db.id}".toString()] = { perDatabase(db) }
            }
            branches.failFast = false
            parallel(branches)
        }
    }
}

def precheck(Map cfg, Map report, Map db) {
    Map plan = null
    try {
        onAgent(cfg) {
            plan = recorded(report, 'migrationPrecheck', db.id) {
                migrationPrecheck([database: db.id] + RunbookSettings.stepArgs(cfg, db, 'precheck'))
            }
            // your own read-only checks before anyone approves: maintenance window, lint, staging evidence...
            for (int i = 0; i < cfg.preChecks.size(); i++) {
                Map check = cfg.preChecks[i]
                recorded(report, check.name as String, db.id) { check.run.call(db) }
            }
        }
    } catch (Throwable t) {
        rethrowIfInterrupted(t) // a failed precheck is recorded; the runbook stops before changing anything
        return
    }
    report.facts.plans[db.id] = Report.plain(plan)
    if (!Plans.passed(plan)) {
        markFailed(report, 'migrationPrecheck', db.id, Plans.failureReason(plan))
    }
}

def databasesWithPendingMigrations(Map cfg, Map report) {
    List<Map> work = []
    for (int i = 0; i < cfg.databases.size(); i++) {
        Map db = cfg.databases[i]
        Map plan = report.facts.plans[db.id]
        if (Plans.pending(plan).isEmpty()) {
            Report.skipped(report, 'flywayMigrate', db.id, 'no pending migrations')
        } else {
            work.add(db)
        }
    }
    return work
}

def approve(Map cfg, Map report, List<Map> work) {
    if (cfg.approval == false) {
        Report.skipped(report, 'migrationApproval', null, 'approval: false in the configuration')
        return
    }
    String plan = Plans.describe(work, report.facts.plans, RunbookSettings.pauseUnits(cfg, work, report.facts.plans))
    announce(cfg, 'waiting-for-approval', plan, report)
    long started = Report.millis()
    Map args = [:] + cfg.approval
    args.message = args.message ?: "Run the production migration of ${Report.ids(work)}?".toString()
    args.details = plan
    Map gate
    try {
        gate = migrationApproval(args)
    } catch (Throwable t) {
        Report.step(report, 'migrationApproval', null, Report.FAILED, started, null,
                Report.interrupted(t) ? 'not approved (aborted or timed out): nothing was changed' : Report.describe(t))
        throw t
    }
    for (int i = 0; i < gate.approvals.size(); i++) {
        Map a = gate.approvals[i]
        Report.approval(report, 'migrationApproval', a.user as String, a.at as String, 'approved')
    }
    report.facts.refusedApprovals.addAll(Report.plain(gate.refused) as List)
    Report.step(report, 'migrationApproval', null, Report.PASSED, started,
            [approvers: Report.users(gate.approvals), builder: gate.builder, refused: gate.refused.size()], null)
}

def backup(Map cfg, Map report, Map db) {
    Map result = null
    try {
        onAgent(cfg) {
            result = recorded(report, 'dbBackup', db.id) {
                dbBackup([database: db.id] + RunbookSettings.stepArgs(cfg, db, 'backup'))
            }
            // a restore must run where the backup file is
            result = [:] + result + [agent: env.NODE_NAME, workspace: env.WORKSPACE]
        }
    } catch (Throwable t) {
        rethrowIfInterrupted(t) // recorded as failed; nothing is migrated without every backup
        return
    }
    report.facts.backups[db.id] = Report.plain(result)
}

def rethrowIfInterrupted(Throwable t) {
    if (Report.interrupted(t)) {
        throw t
    }
}

/** One database from the pause to the post-migration checks, and the failure gate if any of it fails. */
def migrateOne(Map cfg, Map report, Map db) {
    Map plan = report.facts.plans[db.id]
    Map consumers = RunbookSettings.optionalArgs(cfg, db, 'consumers')
    Map state = [step: 'pauseConsumers', paused: false, migrated: false, pauseRequestedMs: 0L]
    boolean pause = Plans.pauseNeeded(plan)
    try {
        if (pause && consumers == null) {
            error("Database ${db.id}: the plan says consumers must be paused (${Plans.pauseReason(plan)}) but no "
                    + 'consumers are configured: set consumers: [...] (the withConsumersPaused arguments)')
        }
        onAgent(cfg) {
            // the plugin keeps the pause state in the workspace (stateDir): a later resume must run there
            state.agent = env.NODE_NAME
            state.workspace = env.WORKSPACE
            // a failed earlier build (forward-fix) may have left these consumers paused: withConsumersPaused takes
            // that pause over (the plugin verifies it from Kafka, or refuses), even when this plan needs no pause
            Map left = consumers == null ? null : pauseLeftBehind(consumers)
            String pauseReason = Plans.pauseReason(plan)
            if (left != null) {
                pauseReason = "the pause an earlier build left (${Plans.describeLeftPause(left)}) is taken over and resumed at the end" +
                        (pause ? "; ${pauseReason}" : " (this plan alone needs none: ${pauseReason})")
                pause = true
                state.left = left
            }
            if (pause) {
                state.pauseRequestedMs = Plans.leftPauseMillis(left) ?: Report.millis()
                // resumeOnFailure false: a failed migration leaves consumers paused for the failure gate to decide
                withConsumersPaused(consumers + [resumeOnFailure: false]) {
                    state.paused = true
                    Report.step(report, 'pauseConsumers', db.id, Report.PASSED, state.pauseRequestedMs as long,
                            [reason: pauseReason] + (left != null ? [takenOver: left] : [:]) + consumers, null)
                    migrateAndVerify(cfg, report, db, state)
                    state.step = 'resumeConsumers'
                    state.resumeRequestedMs = Report.millis()
                }
                long resumed = Report.millis()
                state.paused = false
                Report.step(report, 'resumeConsumers', db.id, Report.PASSED, state.resumeRequestedMs as long, consumers, null)
                Report.pauseWindow(report, db.id, state.pauseRequestedMs as long, resumed)
            } else {
                Report.skipped(report, 'pauseConsumers', db.id, 'not needed: ' + Plans.pauseReason(plan))
                migrateAndVerify(cfg, report, db, state)
                Report.skipped(report, 'resumeConsumers', db.id, 'consumers were not paused')
            }
            postChecks(cfg, report, db, state)
        }
    } catch (Throwable t) {
        if (!Report.hasStep(report, null, db.id, Report.FAILED)) {
            Report.step(report, state.step as String, db.id, Report.FAILED, Report.millis(), null, Report.describe(t))
        }
        if (state.pauseRequestedMs && state.paused) {
            Report.pauseWindow(report, db.id, state.pauseRequestedMs as long, null)
        }
        if (!state.migrated && state.step == 'pauseConsumers' && state.left != null && !state.paused) {
            // withConsumersPaused refused the takeover before asking anything of the controller (the message says why)
            Report.nextAction(report, "${db.id}: the pause an earlier build left (${Plans.describeLeftPause(state.left as Map)}) "
                    + 'was not taken over and nothing was migrated: do what the pauseConsumers message says (resume those '
                    + "consumers, e.g. ${Report.stepCall('resumeConsumers', RunbookSettings.resumeArgs(consumers))}, or remove the state if they already run), "
                    + 'then run the pipeline again')
            return
        }
        if (!state.migrated && state.step == 'pauseConsumers') {
            Report.nextAction(report, "${db.id}: the pause failed before anything was migrated; the plugin resumes what it "
                    + 'paused (check the consumers), then run the pipeline again')
            return
        }
        failureGate(cfg, report, db, consumers, state, t)
    }
}

/**
 * The pause state a failed earlier build left in the consumers' stateDir (no resume completed), as
 * Plans.leftPause reads it; null when there is none or it was resumed. Runs on the agent: the state is there.
 */
def pauseLeftBehind(Map consumers) {
    String file = "${consumers.stateDir ?: Plans.DEFAULT_CONSUMERS_STATE_DIR}/${Plans.PAUSE_STATE_FILE}".toString()
    if (!fileExists(file)) {
        return null
    }
    return Plans.leftPause(readFile(file), file)
}

def migrateAndVerify(Map cfg, Map report, Map db, Map state) {
    state.step = 'flywayMigrate'
    state.migrated = true // from here on the schema may have changed
    recorded(report, 'flywayMigrate', db.id) {
        flywayMigrate([database: db.id] + RunbookSettings.stepArgs(cfg, db, 'migrate'))
    }
    state.step = 'verifySchema'
    recorded(report, 'verifySchema', db.id) {
        verifySchema([database: db.id] + RunbookSettings.stepArgs(cfg, db, 'verify'))
    }
}

def postChecks(Map cfg, Map report, Map db, Map state) {
    Map smoke = RunbookSettings.optionalArgs(cfg, db, 'smoke')
    state.step = 'smokeTestApi'
    if (smoke == null) {
        Report.skipped(report, 'smokeTestApi', db.id, 'no smoke checks configured (smoke: [...])')
    } else {
        recorded(report, 'smokeTestApi', db.id) { smokeTestApi(smoke) }
    }
    Map lag = RunbookSettings.optionalArgs(cfg, db, 'lag')
    state.step = 'checkConsumerLag'
    if (lag == null) {
        Report.skipped(report, 'checkConsumerLag', db.id, 'no lag check configured (lag: [...])')
    } else {
        Map lagResult = recorded(report, 'checkConsumerLag', db.id) { checkConsumerLag(lag) }
        Report.lagSamples(report, db.id, lagResult)
    }
    for (int i = 0; i < cfg.checks.size(); i++) {
        Map check = cfg.checks[i]
        state.step = check.name as String
        recorded(report, check.name as String, db.id) { check.run.call(db) }
    }
}

/**
 * Something failed after the migration started: a human (or onFailure) decides. The default when nobody answers
 * in time, or the build is aborted, is forward-fix: stop and hand the state to a human as it is.
 */
def failureGate(Map cfg, Map report, Map db, Map consumers, Map state, Throwable failure) {
    boolean paused = state.paused == true
    List<String> choices = [RunbookSettings.FORWARD_FIX, RunbookSettings.RESTORE]
    if (paused) {
        choices.add(RunbookSettings.RESUME)
    }
    long started = Report.millis()
    Map d = gateDecision(cfg, gateInputId('MigrationFailed', db.id as String), failureQuestion(db, state, failure, paused), choices,
            'forward-fix: stop here, consumers stay as they are; ' + Plans.FORWARD_FIX_RERUN
                    + '; restore: restore the backup and redeploy the previous version; resume: resume the consumers',
            failure)
    String decision = d.decision
    String decidedBy = d.decidedBy
    Report.approval(report, "failure:${db.id}".toString(), decidedBy, Report.now(), decision)
    Report.step(report, 'failureGate', db.id, Report.PASSED, started, [decision: decision, decidedBy: decidedBy, choices: choices], null)

    if (decision == RunbookSettings.RESTORE) {
        restoreAndRedeploy(cfg, report, db, consumers, state)
    } else if (decision == RunbookSettings.RESUME) {
        resumeAfterFailure(cfg, report, db.id as String, consumers, state)
        if (state.step == 'resumeConsumers') {
            // only the resume had failed: the migration passed its verification, nothing to fix in the schema
            Report.nextAction(report, "${db.id}: migrated and verified; the consumers were resumed at the failure gate after "
                    + 'the failed resume: check the smoke test and consumer lag by hand (they did not run)')
        } else {
            Report.nextAction(report, "${db.id}: consumers were resumed on the partly migrated schema; write a forward-fix "
                    + 'migration and run the pipeline again')
        }
    } else {
        Report.nextAction(report, "${db.id}: forward-fix (${state.step} failed): "
                + (paused ? "${Plans.FORWARD_FIX_RERUN} (same consumers and stateDir, on the same agent). Consumers "
                        + (state.sharedBy ? "(shared by ${state.sharedBy.join(', ')}) " : '') + 'are STILL PAUSED '
                        + "until then; to resume them without a rerun: ${Report.stepCall('resumeConsumers', RunbookSettings.resumeArgs(consumers))}"
                        : 'fix the migration and rerun this pipeline'))
        Report.nextAction(report, "${db.id}: if data is corrupted, restore the backup ${report.facts.backups[db.id]?.file ?: ''} with dbRestore and redeploy the previous version")
    }
}

/**
 * Who decides at a failure gate, and what: cfg.onFailure when it is one of the choices (forward-fix otherwise),
 * forward-fix when the build was aborted, else a person through input, outside node {} (forward-fix when nobody
 * answers in time). Returns [decision, decidedBy].
 */
def gateDecision(Map cfg, String inputId, String question, List<String> choices, String description, Throwable failure) {
    String decision = cfg.onFailure
    String decidedBy = 'configuration (onFailure)'
    if (decision != null && !choices.contains(decision)) {
        decision = RunbookSettings.FORWARD_FIX
        decidedBy = "configuration (onFailure: ${cfg.onFailure} is not offered here: ${choices.join(', ')})".toString()
    }
    if (Report.interrupted(failure)) {
        decision = RunbookSettings.FORWARD_FIX
        decidedBy = 'the build was aborted'
    }
    if (decision == null) {
        try {
            timeout(time: cfg.failureGate.timeoutMinutes, unit: 'MINUTES') {
                def answer = input(id: inputId, message: question,
                        ok: 'Do it', submitter: cfg.failureGate.submitters.join(','), submitterParameter: 'decidedBy',
                        parameters: [choice(name: 'action', choices: choices, description: description)])
                decision = answer instanceof Map ? answer.action as String : answer as String
                decidedBy = answer instanceof Map ? answer.decidedBy as String : 'unknown'
            }
        } catch (Throwable t) {
            decision = RunbookSettings.FORWARD_FIX
            decidedBy = Report.interrupted(t) ? 'nobody in time (timeout or abort)' : "the gate failed: ${Report.describe(t)}".toString()
        }
        if (!choices.contains(decision)) {
            decision = RunbookSettings.FORWARD_FIX
        }
    }
    return [decision: decision, decidedBy: decidedBy]
}

@NonCPS
String gateInputId(String prefix, String name) {
    return "${prefix}_${name.replaceAll('[^A-Za-z0-9_-]', '_')}".toString()
}

def restoreAndRedeploy(Map cfg, Map report, Map db, Map consumers, Map state) {
    Map backup = report.facts.backups[db.id]
    onRecordedAgent(cfg, backup) {
        recorded(report, 'dbRestore', db.id) {
            dbRestore([database: db.id, backup: backup?.file, replace: true] + RunbookSettings.stepArgs(cfg, db, 'restore'))
        }
    }
    String job = RunbookSettings.deployJobOf(cfg, db)
    if (job == null) {
        Report.skipped(report, 'redeployPreviousVersion', db.id, 'no deployJob configured')
        Report.nextAction(report, "${db.id}: the backup was restored: redeploy the previous stable application version by hand")
    } else {
        List parameters = redeployParameters(cfg, db)
        String key = job + ' ' + Report.plain(parameters)
        if (report.facts.redeployed == null) {
            report.facts.redeployed = [:]
        }
        if (report.facts.redeployed[key] != null) {
            // several databases of a fleet restored: the application is redeployed once
            Report.skipped(report, 'redeployPreviousVersion', db.id, "already redeployed after the restore of ${report.facts.redeployed[key]}".toString())
        } else {
            report.facts.redeployed[key] = db.id
            recorded(report, 'redeployPreviousVersion', db.id) {
                def run = build(job: job, parameters: parameters, wait: true, propagate: true)
                [job: job, parameters: Report.plain(parameters), result: run instanceof Map ? run.result : run?.getResult()]
            }
        }
    }
    if (state.paused) {
        if (cfg.resumeAfterRestore) {
            resumeAfterFailure(cfg, report, db.id as String, consumers, state)
        } else {
            Report.nextAction(report, "${db.id}: consumers " + (state.sharedBy ? "(shared by ${state.sharedBy.join(', ')}) " : '')
                    + 'are STILL PAUSED after the restore: once the previous version runs, '
                    + "resume them with ${Report.stepCall('resumeConsumers', RunbookSettings.resumeArgs(consumers))}")
        }
    }
}

/**
 * resumeConsumers in the workspace that holds the pause state. A pause shared by several databases is resumed
 * once (recorded for all of them); state.paused tells the later gates that nothing is paused any more.
 */
def resumeAfterFailure(Map cfg, Map report, String decidedAt, Map consumers, Map state) {
    onRecordedAgent(cfg, state) {
        recorded(report, 'resumeConsumers', state.sharedBy ? null : decidedAt) {
            def result = resumeConsumers(RunbookSettings.resumeArgs(consumers))
            state.sharedBy ? [databases: state.sharedBy, decidedAt: decidedAt] + (result instanceof Map ? result : [:]) : result
        }
    }
    state.paused = false
    Report.pauseWindow(report, state.sharedBy ?: decidedAt, state.pauseRequestedMs as long, Report.millis())
}

def redeployParameters(Map cfg, Map db) {
    if (db.deployParameters instanceof List) {
        return db.deployParameters
    }
    if (cfg.deployParameters != null) {
        return cfg.deployParameters
    }
    String version = db.previousVersion != null ? db.previousVersion : cfg.previousVersion
    if (version == null) {
        return []
    }
    return [string(name: cfg.versionParameter, value: version)]
}

@NonCPS
String failureQuestion(Map db, Map state, Throwable failure, boolean paused) {
    return "Migration of ${db.id} failed at ${state.step}: ${Report.describe(failure)}\n" +
            (paused ? 'Consumers are PAUSED' + (state.sharedBy ? " (one pause shared by ${state.sharedBy.join(', ')}: resume resumes them for all)" : '') + '. '
                    : 'Consumers are not paused. ') +
            'Choose: forward-fix (stop here; ' + (paused ? Plans.FORWARD_FIX_RERUN : 'fix the migration and rerun this pipeline') +
            '), restore (restore the backup, redeploy the previous version)' +
            (paused ? ', or resume (resume consumers on the current schema)' : '')
}

/**
 * Runs a plugin step and records it; a result map with passed: false counts as a failure (the step's own
 * message in reason), as does an exception.
 */
def recorded(Map report, String name, String database, Closure body) {
    long started = Report.millis()
    def result
    try {
        result = body()
    } catch (Throwable t) {
        Report.step(report, name, database, Report.FAILED, started, null, Report.describe(t))
        throw t
    }
    if (result instanceof Map && result.passed == false) {
        String why = result.reason ?: result.message ?: result.summary ?: "${name} reported a failed check"
        Report.step(report, name, database, Report.FAILED, started, result, why as String)
        error("${name} failed${database != null ? ' on ' + database : ''}: ${why}")
    }
    Report.step(report, name, database, Report.PASSED, started, result, null)
    return result
}

def markFailed(Map report, String name, String database, String reason) {
    for (int i = report.steps.size() - 1; i >= 0; i--) {
        Map s = report.steps[i]
        if (s.name == name && s.database == database) {
            s.status = Report.FAILED
            s.reason = reason
            return
        }
    }
    Report.step(report, name, database, Report.FAILED, Report.millis(), null, reason)
}

/**
 * Steps that talk to databases and brokers need an agent; waiting for people does not. The agent's workspace
 * gets the migrations first (unstash and/or prepare, e.g. checkout scm): Flyway locations are read there.
 */
def onAgent(Map cfg, Closure body) {
    return plainNode(cfg) {
        for (int i = 0; i < cfg.unstash.size(); i++) {
            unstash(cfg.unstash[i] as String)
        }
        if (cfg.prepare != null) {
            cfg.prepare.call()
        }
        body()
    }
}

def plainNode(Map cfg, Closure body) {
    if (cfg.agent) {
        return node(cfg.agent) { body() }
    }
    return node { body() }
}

/**
 * Back on the agent and workspace where something was left (the pause state, the backup file), after waiting for
 * a human outside node {}: a node name is also a label, and ws() takes the same directory again.
 */
def onRecordedAgent(Map cfg, Map where, Closure body) {
    if (where == null || !where.agent) {
        return onAgent(cfg, body)
    }
    return node(where.agent as String) {
        if (where.workspace) {
            ws(where.workspace as String) { body() }
        } else {
            body()
        }
    }
}

def announce(Map cfg, String event, String text, Map report) {
    notifyRunbook(event: event, text: text, notify: cfg.notify, mailTo: cfg.mailTo, webhookUrl: cfg.webhookUrl,
            webhookCredentialsId: cfg.webhookCredentialsId, details: [runId: report.runId, status: report.status])
}

def archiveReport(Map cfg, Map report) {
    try {
        plainNode(cfg) {
            writeFile(file: cfg.reportFile, text: Report.toJson(report))
            archiveArtifacts(artifacts: cfg.reportFile, fingerprint: true)
        }
        echo("Run report archived: ${cfg.reportFile}")
    } catch (Throwable t) {
        if (Report.interrupted(t)) {
            throw t
        }
        echo("Could not archive the run report (${Report.describe(t)}); it follows:\n${Report.toJson(report)}")
    }
}
