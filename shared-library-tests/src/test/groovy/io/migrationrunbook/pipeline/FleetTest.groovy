package io.migrationrunbook.pipeline

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat

/** productionMigration over a fleet: batches of `parallelism` through parallel, one gate, one freeze. */
class FleetTest {

    Pipeline p

    boolean cps() {
        false
    }

    @BeforeEach
    void setUp() {
        p = Pipeline.fresh(cps())
        p.build.startedBy('alice')
        p.answers.addAll(['bob', 'carol'])
    }

    static Map fleet(Map extra = [:]) {
        List dbs = ['a', 'b', 'c', 'd', 'e'].collect { [id: it, consumers: [controller: "ingest-${it}".toString()]] }
        return ProductionMigrationTest.config(extra + [databases: dbs, parallelism: 2]).findAll { it.key != 'database' }
    }

    @Test
    void runsBatchesOfAtMostParallelismDatabasesWithOneGateAndOneFreeze() {
        p.run('releaseRunbook', [runbookConfig: fleet(), useChecks: false])

        assertThat(p.parallelBatches).isNotEmpty()
        assert p.parallelBatches.every { it.size() <= 2 }: "a parallel call ran more than 2 branches: ${p.parallelBatches}"
        assertThat(p.parallelBatches).contains(['migrationPrecheck a', 'migrationPrecheck b'],
                ['flywayMigrate a', 'flywayMigrate b'], ['flywayMigrate c', 'flywayMigrate d'])
        assertThat(p.calls('flywayMigrate').collect { it.args.database }).containsExactly('a', 'b', 'c', 'd', 'e')
        assertThat(p.calls('withConsumersPaused').collect { it.args.controller })
                .containsExactly('ingest-a', 'ingest-b', 'ingest-c', 'ingest-d', 'ingest-e')
        // one approval for the fleet, showing every database's plan
        assertThat(p.inputs).hasSize(2)
        assertThat(p.inputs[0].message as String).contains('Database a:').contains('Database e:')
        // every backup before the single freeze, every migration inside it
        List<String> t = p.only('dbBackup', 'freeze', 'flywayMigrate', 'unfreeze')
        assertThat(t.findAll { it == 'freeze' }).hasSize(1)
        assertThat(t.indexOf('freeze')).isEqualTo(5)
        assertThat(t.last()).isEqualTo('unfreeze')
        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('SUCCEEDED')
        assertThat((report.facts.pauseWindows as Map).keySet()).containsExactly('a', 'b', 'c', 'd', 'e')
    }

    @Test
    void aDatabaseMayOverrideTheFleetsPlaceholders() {
        List dbs = [[id: 'a', placeholders: [schema: 'tenant_a']], [id: 'b']]
        Map cfg = ProductionMigrationTest.config([databases: dbs, placeholders: [schema: 'app', app_role: 'reader']])
                .findAll { it.key != 'database' }
        p.run('releaseRunbook', [runbookConfig: cfg, useChecks: false])

        assertThat(p.calls('flywayMigrate').collect { it.args.placeholders })
                .containsExactly([schema: 'tenant_a', app_role: 'reader'], [schema: 'app', app_role: 'reader'])
        assertThat(p.calls('migrationPrecheck').collect { it.args.placeholders })
                .containsExactly([schema: 'tenant_a', app_role: 'reader'], [schema: 'app', app_role: 'reader'])
    }

    @Test
    void aFailedDatabaseStopsTheBatchesAfterItsOwn() {
        p.stepResults.flywayMigrate = { Map args ->
            if (args.database == 'b') {
                throw new IllegalStateException('V7 failed on b')
            }
            return [finalVersion: '7']
        }

        Throwable e = p.runFailing('releaseRunbook', [runbookConfig: fleet(onFailure: 'forward-fix'), useChecks: false])

        assertThat(e.message).contains('flywayMigrate on b: V7 failed on b')
        assertThat(p.calls('flywayMigrate').collect { it.args.database }).containsExactly('a', 'b')
        Map report = p.json('migration-report.json')
        List skipped = report.steps.findAll { it.name == 'flywayMigrate' && it.status == 'SKIPPED' }
        assertThat(skipped.collect { it.database }).containsExactly('c', 'd', 'e')
        assertThat(skipped.collect { it.reason }).containsOnly('an earlier batch failed: not started')
        assertThat(p.only('unfreeze')).hasSize(1)
        assertThat(report.nextActions.join('\n')).contains('b: forward-fix').doesNotContain('a: forward-fix')
    }

    @Test
    void aFailedBackupMigratesNothing() {
        p.stepResults.dbBackup = { Map args ->
            if (args.database == 'c') {
                throw new IllegalStateException('not enough free space for the backup of c')
            }
            return [file: "/backups/${args.database}.dump".toString()]
        }

        p.runFailing('releaseRunbook', [runbookConfig: fleet(), useChecks: false])

        assertThat(p.calls('flywayMigrate')).isEmpty()
        assertThat(p.calls('withAutoDeployFrozen')).isEmpty()
        assertThat(p.calls('dbBackup').collect { it.args.database }).containsExactly('a', 'b', 'c', 'd')
    }

    @Test
    void restoringSeveralDatabasesRedeploysTheApplicationOnce() {
        p.stepResults.verifySchema = { Map args -> args.database in ['a', 'b'] ? [passed: false, reason: "drift on ${args.database}".toString()] : [passed: true] }

        p.runFailing('releaseRunbook', [runbookConfig: fleet(onFailure: 'restore'), useChecks: false])

        assertThat(p.calls('dbRestore').collect { it.args.database }).containsExactly('a', 'b')
        assertThat(p.builds).hasSize(1)
        Map report = p.json('migration-report.json')
        Map second = report.steps.find { it.name == 'redeployPreviousVersion' && it.database == 'b' } as Map
        assertThat(second.status).isEqualTo('SKIPPED')
        assertThat(second.reason as String).contains('already redeployed after the restore of a')
    }

    /** Jenkinsfile.example's shape: three databases, one consumer controller for all of them, two at a time. */
    static Map sharedController(Map extra = [:]) {
        return ProductionMigrationTest.config(extra + [databases: ['orders', 'billing', 'positions'], parallelism: 2])
                .findAll { it.key != 'database' }
    }

    /** the helper's call stack: [index, stackDepth] of each call of a step, in call order */
    List<List<Integer>> called(String step) {
        List calls = p.base.helper.callStack
        return (0..<calls.size()).findAll { calls[it].methodName == step }.collect { [it, calls[it].stackDepth] }
    }

    static List<Map> steps(Map report, String name) {
        return report.steps.findAll { it.name == name } as List<Map>
    }

    @Test
    void databasesSharingAControllerArePausedOnceAroundAllTheirMigrationsAndResumedAfterTheLast() {
        p.run('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        // one pause, called before every migration and enclosing them (they run inside its body)
        List<List<Integer>> pauses = called('withConsumersPaused')
        assertThat(pauses).hasSize(1)
        List<List<Integer>> migrations = called('flywayMigrate')
        assertThat(migrations).hasSize(3)
        assert migrations.every { it[0] > pauses[0][0] && it[1] > pauses[0][1] }: "migrations ${migrations} not inside the pause ${pauses}"
        assertThat(p.calls('withConsumersPaused')[0].args).isEqualTo([controller: 'ingestion', resumeOnFailure: false])
        // the resume (end of the block) after the last verify, the smoke tests once consumers run again
        List<String> fromPause = p.only('pause', 'flywayMigrate', 'verifySchema', 'resume', 'smokeTestApi', 'parallel')
        fromPause = fromPause.subList(fromPause.indexOf('pause:ingestion'), fromPause.size())
        assertThat(fromPause).containsExactly(
                'pause:ingestion', 'parallel:flywayMigrate orders,flywayMigrate billing',
                'flywayMigrate:orders', 'verifySchema:orders', 'flywayMigrate:billing', 'verifySchema:billing',
                'flywayMigrate:positions', 'verifySchema:positions', 'resume:ingestion',
                'parallel:smokeTestApi orders,smokeTestApi billing', 'smokeTestApi:portfolio-api', 'smokeTestApi:portfolio-api',
                'smokeTestApi:portfolio-api')
        assert p.parallelBatches.every { it.size() <= 2 }
        // all in the node that holds the pause: no nested node {} waiting for an executor of the same agent
        assertThat(p.calls('flywayMigrate').collect { it.workspace }.unique()).hasSize(1)
        assertThat(p.calls('resumeConsumers')).isEmpty()

        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('SUCCEEDED')
        List<Map> pause = steps(report, 'pauseConsumers')
        assertThat(pause).hasSize(1)
        assertThat(pause[0].status).isEqualTo('PASSED')
        assertThat(pause[0]).doesNotContainKey('database')
        assertThat(pause[0].details.databases).containsExactly('orders', 'billing', 'positions')
        assertThat(pause[0].details.controller).isEqualTo('ingestion')
        assertThat(pause[0].details.reason as String).contains("one pause of the consumers of controller 'ingestion'")
                .contains('orders: ALTER TABLE processed_events')
        List<Map> resume = steps(report, 'resumeConsumers')
        assertThat(resume).hasSize(1)
        assertThat(resume[0].status).isEqualTo('PASSED')
        assertThat(resume[0].details.databases).containsExactly('orders', 'billing', 'positions')
        assertThat(report.pause.databases).containsExactly('orders', 'billing', 'positions')
        assertThat(report.pause.stillPaused).isEqualTo(false)
        assertThat((report.facts.pauseWindows as Map).keySet()).containsExactlyInAnyOrder('orders', 'billing', 'positions')
        assertThat(steps(report, 'smokeTestApi').collect { it.database }).containsExactly('orders', 'billing', 'positions')
        assertThat(ReportSchemaTest.validate(p.files['migration-report.json'])).isEmpty()
    }

    @Test
    void oneDatabaseNeedingThePauseIsEnoughToPauseTheSharedControllerForAll() {
        p.stepResults.migrationPrecheck = { Map args ->
            args.database == 'billing' ? [passed: true, pauseNeeded: true, pauseReason: 'DROP COLUMN on a written table',
                                          pending: [[version: '3', description: 'drop legacy column']]]
                    : [passed: true, pauseNeeded: false, pauseReason: 'only additive changes', pending: [[version: '5', description: 'add table']]]
        }

        p.run('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(p.only('pause', 'flywayMigrate', 'resume')).containsExactly('pause:ingestion', 'flywayMigrate:orders',
                'flywayMigrate:billing', 'flywayMigrate:positions', 'resume:ingestion')
        Map pause = steps(p.json('migration-report.json'), 'pauseConsumers')[0]
        assertThat(pause.details.reason as String).contains('billing: DROP COLUMN on a written table')
                .contains('orders: needs none alone (only additive changes)')
    }

    @Test
    void databasesWithTheirOwnControllerArePausedEachAsBefore() {
        Map cfg = sharedController()
        cfg.databases = [[id: 'orders', consumers: [controller: 'orders-ingestion']], [id: 'billing', consumers: [controller: 'billing-ingestion']]]

        p.run('releaseRunbook', [runbookConfig: cfg, useChecks: false])

        assertThat(p.calls('withConsumersPaused').collect { it.args.controller }).containsExactly('orders-ingestion', 'billing-ingestion')
        assertThat(p.only('pause', 'flywayMigrate', 'resume')).containsExactly('pause:orders-ingestion', 'flywayMigrate:orders',
                'resume:orders-ingestion', 'pause:billing-ingestion', 'flywayMigrate:billing', 'resume:billing-ingestion')
        Map report = p.json('migration-report.json')
        assertThat(steps(report, 'pauseConsumers').collect { it.database }).containsExactly('orders', 'billing')
        assertThat(steps(report, 'resumeConsumers').collect { it.database }).containsExactly('orders', 'billing')
        assertThat(report.pause.database).isIn('orders', 'billing')
    }

    @Test
    void aFailureInTheSecondDatabaseLeavesTheSharedConsumersPausedAndOffersTheFailureGate() {
        p.stepResults.flywayMigrate = { Map args ->
            if (args.database == 'billing') {
                throw new IllegalStateException('V7 failed on billing: SQLSTATE 55P03 lock timeout')
            }
            return [finalVersion: '7']
        }
        p.answers.add([action: 'forward-fix', decidedBy: 'dave'])

        Throwable e = p.runFailing('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(e.message).contains('flywayMigrate on billing: V7 failed on billing')
        assertThat(called('withConsumersPaused')).hasSize(1)
        // no resume: neither the end of the block nor a resumeConsumers step
        assertThat(p.only('pause', 'flywayMigrate', 'resume', 'resumeConsumers', 'input', 'unfreeze')).containsExactly(
                'input:MigrationApproval1', 'input:MigrationApproval2', 'pause:ingestion', 'flywayMigrate:orders', 'flywayMigrate:billing', 'input:MigrationFailed_billing', 'unfreeze')
        assertThat(p.calls('resumeConsumers')).isEmpty()
        Map gate = p.inputs[2]
        assertThat(gate.parameters[0].choices).containsExactly('forward-fix', 'restore', 'resume')
        assertThat(gate.message as String).contains('failed at flywayMigrate').contains('Consumers are PAUSED')
                .contains('shared by orders, billing, positions')
        assertThat(p.inputsOnNode).containsOnly(false)
        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('FAILED')
        assertThat(steps(report, 'resumeConsumers')).isEmpty()
        assertThat(report.pause.stillPaused).isEqualTo(true)
        assertThat(report.pause.databases).containsExactly('orders', 'billing', 'positions')
        Map skipped = report.steps.find { it.name == 'flywayMigrate' && it.database == 'positions' } as Map
        assertThat(skipped.status).isEqualTo('SKIPPED')
        Map smokeOrders = report.steps.find { it.name == 'smokeTestApi' && it.database == 'orders' } as Map
        assertThat(smokeOrders.status).isEqualTo('SKIPPED')
        assertThat(smokeOrders.reason as String).contains("consumers of controller 'ingestion' stay paused after the failure of billing")
        assertThat(report.nextActions.join('\n')).contains('billing: forward-fix').contains('(shared by orders, billing, positions) are STILL PAUSED')
                .contains("resumeConsumers(controller: 'ingestion')")
        assertThat(report.approvals.last()).containsEntry('gate', 'failure:billing').containsEntry('decision', 'forward-fix')
        assertThat(ReportSchemaTest.validate(p.files['migration-report.json'])).isEmpty()
    }

    @Test
    void resumeAtTheFailureGateResumesTheSharedControllerOnceForAllItsDatabases() {
        p.stepResults.verifySchema = { Map args -> args.database in ['orders', 'billing'] ? [passed: false, reason: "drift on ${args.database}".toString()] : [passed: true] }
        p.answers.addAll([[action: 'resume', decidedBy: 'dave'], [action: 'forward-fix', decidedBy: 'dave']])

        p.runFailing('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(p.only('input', 'resumeConsumers')).containsExactly('input:MigrationApproval1', 'input:MigrationApproval2',
                'input:MigrationFailed_orders', 'resumeConsumers:ingestion', 'input:MigrationFailed_billing')
        assertThat(p.calls('resumeConsumers')).hasSize(1)
        assertThat(p.calls('resumeConsumers')[0].args).isEqualTo([controller: 'ingestion'])
        // where the pause state is: the workspace of the shared pause
        assertThat(p.calls('resumeConsumers')[0].workspace).isEqualTo(p.calls('flywayMigrate')[0].workspace)
        // the second gate knows the consumers run again
        assertThat(p.inputs[3].parameters[0].choices).containsExactly('forward-fix', 'restore')
        assertThat(p.inputs[3].message as String).contains('Consumers are not paused')
        Map report = p.json('migration-report.json')
        List<Map> resume = steps(report, 'resumeConsumers')
        assertThat(resume).hasSize(1)
        assertThat(resume[0]).doesNotContainKey('database')
        assertThat(resume[0].details.databases).containsExactly('orders', 'billing', 'positions')
        assertThat(report.pause.stillPaused).isEqualTo(false)
        assertThat(report.nextActions.join('\n')).doesNotContain('STILL PAUSED')
    }

    @Test
    void theRerunAfterAForwardFixTakesTheSharedPauseOverOnce() {
        p.agentFiles['.runbook/consumers/consumers-state.json'] = ProductionMigrationTest.pauseLeftBy('release #41 (release#41)')

        p.run('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(p.calls('withConsumersPaused')).hasSize(1)
        assertThat(p.calls('fileExists')).hasSize(1)
        Map report = p.json('migration-report.json')
        Map pause = steps(report, 'pauseConsumers')[0]
        assertThat(pause.details.reason as String).contains('the pause an earlier build left').contains('taken over and resumed at the end')
        assertThat(pause.details.takenOver).containsEntry('pausedBy', 'release #41 (release#41)')
        assertThat(report.pause.requestedAt).isEqualTo('2026-11-26T09:00:00Z')
        assertThat(report.pause.stillPaused).isEqualTo(false)
    }

    @Test
    void databasesSharingAControllerMustConfigureItAlikeBeforeAnyoneIsAsked() {
        Map cfg = sharedController()
        cfg.databases = ['orders', [id: 'billing', consumers: [stateDir: '/var/lib/runbook/billing']]]

        Throwable e = p.runFailing('releaseRunbook', [runbookConfig: cfg, useChecks: false])

        assertThat(e.message).contains("databases orders and billing share the consumer controller 'ingestion' but configure it differently")
        assertThat(p.inputs).isEmpty()
        assertThat(p.stepCalls*.step).containsOnly('migrationPrecheck')
    }

    static final Map NO_PAUSE_PLAN = [passed: true, pauseNeeded: false, pauseReason: 'only additive changes',
                                      pending: [[version: '8', description: 'fix status default']]]

    @Test
    void databasesSharingAControllerThatNeedNoPauseAreNotPaused() {
        p.stepResults.migrationPrecheck = NO_PAUSE_PLAN

        p.run('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(p.calls('withConsumersPaused')).isEmpty()
        assertThat(p.calls('flywayMigrate').collect { it.args.database }).containsExactly('orders', 'billing', 'positions')
        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('SUCCEEDED')
        assertThat(steps(report, 'pauseConsumers').collect { it.status }).containsOnly('SKIPPED')
        assertThat(steps(report, 'pauseConsumers').collect { it.database }).containsExactly('orders', 'billing', 'positions')
        assertThat(steps(report, 'pauseConsumers')[0].reason).isEqualTo('not needed: only additive changes')
        assertThat(steps(report, 'smokeTestApi').collect { it.status }).containsOnly('PASSED').hasSize(3)
        assertThat(report.pause).isNull()
    }

    @Test
    void theRerunOfAFleetWhosePlansNeedNoPauseTakesTheLeftPauseOverOnceForAll() {
        // the forward-fix build left 'ingestion' paused; what is left to migrate needs no pause of its own
        p.agentFiles['.runbook/consumers/consumers-state.json'] = ProductionMigrationTest.pauseLeftBy('release #41 (release#41)')
        p.stepResults.migrationPrecheck = NO_PAUSE_PLAN

        p.run('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(called('withConsumersPaused')).hasSize(1)
        assert called('flywayMigrate').every { it[0] > called('withConsumersPaused')[0][0] }
        List<String> t = p.only('pause', 'verifySchema', 'resume')
        assertThat(t.first()).isEqualTo('pause:ingestion')
        assertThat(t.last()).isEqualTo('resume:ingestion')
        Map pause = steps(p.json('migration-report.json'), 'pauseConsumers')[0]
        assertThat(pause.details.takenOver).containsEntry('pausedBy', 'release #41 (release#41)')
        assertThat(pause.details.reason as String).contains('orders: needs none alone (only additive changes)')
        assertThat(steps(p.json('migration-report.json'), 'pauseConsumers')).hasSize(1)
    }

    @Test
    void aFleetMixingASharedControllerAndAnOwnOneHasOnePauseForEach() {
        Map cfg = sharedController()
        cfg.databases = ['orders', [id: 'positions', consumers: [controller: 'positions-ingestion']], 'billing']

        p.run('releaseRunbook', [runbookConfig: cfg, useChecks: false])

        // the shared group at the place of its first database, then the database with its own controller
        assertThat(p.only('pause', 'flywayMigrate', 'resume')).containsExactly('pause:ingestion', 'flywayMigrate:orders',
                'flywayMigrate:billing', 'resume:ingestion', 'pause:positions-ingestion', 'flywayMigrate:positions',
                'resume:positions-ingestion')
        Map report = p.json('migration-report.json')
        List<Map> pauses = steps(report, 'pauseConsumers')
        assertThat(pauses.collect { it.database }).containsExactly(null, 'positions')
        assertThat(pauses[0].details.databases).containsExactly('orders', 'billing')
        assertThat(report.status).isEqualTo('SUCCEEDED')
    }

    static final String RESUME_FAILED = "resume of controller 'ingestion' failed: group persistence-service still paused (broker timeout)"

    @Test
    void aFailedSharedResumeOffersTheGateAndRetryResumesOnceMoreThenRunsTheChecks() {
        p.resumeFailures.add(new IllegalStateException(RESUME_FAILED))
        p.answers.add([action: 'resume', decidedBy: 'dave'])

        p.runFailing('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(p.only('resumeFailed', 'input', 'resumeConsumers', 'smokeTestApi', 'unfreeze')).containsExactly(
                'input:MigrationApproval1', 'input:MigrationApproval2', 'resumeFailed:ingestion', 'input:ResumeFailed_ingestion',
                'resumeConsumers:ingestion', 'smokeTestApi:portfolio-api', 'smokeTestApi:portfolio-api',
                'smokeTestApi:portfolio-api', 'unfreeze')
        // the gate waits outside node {} and offers what makes sense after a failed resume (no restore: all verified)
        assertThat(p.inputsOnNode).containsOnly(false)
        Map gate = p.inputs[2]
        assertThat(gate.parameters[0].choices).containsExactly('forward-fix', 'resume')
        assertThat(gate.message as String).contains('orders, billing, positions migrated and verified')
                .contains("controller 'ingestion'").contains(RESUME_FAILED).contains('STILL PAUSED')
        // retried once, with the controller and stateDir only, in the workspace that holds the pause state
        assertThat(p.calls('resumeConsumers')).hasSize(1)
        assertThat(p.calls('resumeConsumers')[0].args).isEqualTo([controller: 'ingestion'])
        assertThat(p.calls('resumeConsumers')[0].workspace).isEqualTo(p.calls('flywayMigrate')[0].workspace)
        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('FAILED') // the resume failed once: recorded
        assertThat(steps(report, 'resumeConsumers').collect { it.status }).containsExactly('FAILED', 'PASSED')
        assertThat(steps(report, 'resumeConsumers')[0].reason).isEqualTo(RESUME_FAILED)
        assertThat(steps(report, 'resumeConsumers')[0].details.databases).containsExactly('orders', 'billing', 'positions')
        assertThat(steps(report, 'resumeConsumers')[1].details.databases).containsExactly('orders', 'billing', 'positions')
        assertThat(report.approvals.last()).containsEntry('gate', "resume-failed:ingestion").containsEntry('decision', 'resume')
                .containsEntry('approver', 'dave')
        assertThat(report.pause.stillPaused).isEqualTo(false)
        assertThat(steps(report, 'smokeTestApi').collect { it.status }).containsExactly('PASSED', 'PASSED', 'PASSED')
        assertThat(report.nextActions.join('\n')).doesNotContain('STILL PAUSED')
        assertThat(ReportSchemaTest.validate(p.files['migration-report.json'])).isEmpty()
    }

    @Test
    void aFailedSharedResumeHandedOverLeavesTheConsumersPausedWithTheExactResumeCall() {
        p.resumeFailures.add(new IllegalStateException(RESUME_FAILED))
        p.answers.add([action: 'forward-fix', decidedBy: 'dave'])
        Map cfg = sharedController(consumers: [controller: 'ingestion', stateDir: '/var/lib/runbook/consumers/ingestion'])

        p.runFailing('releaseRunbook', [runbookConfig: cfg, useChecks: false])

        assertThat(p.only('input', 'resumeConsumers', 'smokeTestApi')).containsExactly(
                'input:MigrationApproval1', 'input:MigrationApproval2', 'input:ResumeFailed_ingestion')
        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('FAILED')
        assertThat(report.pause.stillPaused).isEqualTo(true)
        assertThat(report.pause.databases).containsExactly('orders', 'billing', 'positions')
        assertThat(report.approvals.last()).containsEntry('gate', "resume-failed:ingestion").containsEntry('decision', 'forward-fix')
        String next = report.nextActions.join('\n')
        assertThat(next).contains("consumers of controller 'ingestion' are STILL PAUSED")
                .contains("resumeConsumers(controller: 'ingestion', stateDir: '/var/lib/runbook/consumers/ingestion')")
                .contains("on agent agent-1 in workspace ${p.calls('flywayMigrate')[0].workspace}")
                .contains('a rerun finds no pending migration and does not resume them')
        assertThat(steps(report, 'smokeTestApi').collect { it.status }).containsExactly('SKIPPED', 'SKIPPED', 'SKIPPED')
        assertThat(ReportSchemaTest.validate(p.files['migration-report.json'])).isEmpty()
    }

    @Test
    void aRetriedSharedResumeThatFailsAgainOffersTheGateAgain() {
        p.resumeFailures.add(new IllegalStateException(RESUME_FAILED))
        int[] attempts = [0]
        p.stepResults.resumeConsumers = { Map args ->
            attempts[0]++
            return attempts[0] == 1 ? new IllegalStateException('controller ingestion unreachable') : [resumed: true]
        }
        p.answers.addAll([[action: 'resume', decidedBy: 'dave'], [action: 'resume', decidedBy: 'dave']])

        p.runFailing('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(p.only('input', 'resumeConsumers')).containsExactly('input:MigrationApproval1', 'input:MigrationApproval2',
                'input:ResumeFailed_ingestion', 'resumeConsumers:ingestion', 'input:ResumeFailed_ingestion', 'resumeConsumers:ingestion')
        assertThat(p.inputs[3].message as String).contains('controller ingestion unreachable')
        Map report = p.json('migration-report.json')
        assertThat(steps(report, 'resumeConsumers').collect { it.status }).containsExactly('FAILED', 'FAILED', 'PASSED')
        assertThat(report.pause.stillPaused).isEqualTo(false)
    }

    @Test
    void onFailureResumeRetriesTheSharedResumeOnceWithoutAsking() {
        p.resumeFailures.add(new IllegalStateException(RESUME_FAILED))
        p.stepResults.resumeConsumers = new IllegalStateException('controller ingestion unreachable')

        p.runFailing('releaseRunbook', [runbookConfig: sharedController(onFailure: 'resume'), useChecks: false])

        // no person to ask again: one retry, then handed over
        assertThat(p.calls('resumeConsumers')).hasSize(1)
        assertThat(p.inputs).hasSize(2)
        Map report = p.json('migration-report.json')
        assertThat(report.pause.stillPaused).isEqualTo(true)
        assertThat(report.nextActions.join('\n')).contains('STILL PAUSED').contains('controller ingestion unreachable')
    }

    @Test
    void theApprovalMessageSaysWhichDatabasesShareOnePause() {
        Map cfg = sharedController()
        cfg.databases = ['orders', [id: 'positions', consumers: [controller: 'positions-ingestion']], 'billing']

        p.run('releaseRunbook', [runbookConfig: cfg, useChecks: false])

        String message = p.inputs[0].message as String
        assertThat(message).contains("consumers of controller 'ingestion' paused ONCE for databases orders, billing")
                .contains('their smoke test and lag checks run after that shared resume')
                .doesNotContain("controller 'positions-ingestion'")
    }

    @Test
    void anAbortDuringTheSharedResumeAsksNobodyAndSaysHowToResume() {
        p.resumeFailures.add(new InterruptedException('aborted by carol'))

        p.runFailing('releaseRunbook', [runbookConfig: sharedController(), useChecks: false])

        assertThat(p.inputs).hasSize(2)
        assertThat(p.calls('resumeConsumers')).isEmpty()
        Map report = p.json('migration-report.json')
        assertThat(steps(report, 'resumeConsumers').collect { it.status }).containsExactly('FAILED')
        assertThat(report.pause.stillPaused).isEqualTo(true)
        assertThat(report.nextActions.join('\n')).contains('the resume was interrupted (aborted by carol)')
                .contains("resumeConsumers(controller: 'ingestion') on agent agent-1").doesNotContain('rerun')
    }
}
