package io.migrationrunbook.pipeline

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat

/**
 * productionMigration over one database: the guide's order, the pause decision, and the failure gate's three ways out.
 * The plugin's steps are recorded (Pipeline.timeline); their results are configured per test.
 */
class ProductionMigrationTest {

    static final String[] GATES = ['migrationPrecheck', 'input', 'dbBackup', 'freeze', 'pause', 'flywayMigrate',
                                   'verifySchema', 'resume', 'resumeConsumers', 'smokeTestApi', 'checkConsumerLag',
                                   'check', 'dbRestore', 'build', 'unfreeze', 'writeFile', 'archiveArtifacts']

    Pipeline p

    boolean cps() {
        false
    }

    @BeforeEach
    void setUp() {
        p = Pipeline.fresh(cps())
        p.build.startedBy('alice')
    }

    static Map config(Map extra = [:]) {
        return [database          : 'orders',
                approval          : [submitters: ['alice', 'bob', 'carol'], approvals: 2, timeoutMinutes: 30],
                failureGate       : [submitters: ['dba-oncall'], timeoutMinutes: 15],
                consumers         : [controller: 'ingestion'],
                smoke             : [api: 'portfolio-api'],
                lag               : [cluster: 'prod-kafka', groups: ['persistence-service']],
                freezeJobs        : ['deploy/auto-*'],
                deployJob         : 'deploy/release',
                previousVersion   : '1.41.0'] + extra
    }

    Map run(Map cfg, boolean checks = true) {
        return p.run('releaseRunbook', [runbookConfig: cfg, useChecks: checks]) as Map
    }

    Map runFailing(Map cfg) {
        Throwable e = p.runFailing('releaseRunbook', [runbookConfig: cfg, useChecks: true])
        assertThat(e).isInstanceOf(PipelineError)
        return p.json('migration-report.json')
    }

    static List<String> stepNames(Map report, String status = null) {
        return report.steps.findAll { status == null || it.status == status }.collect { it.name as String }
    }

    static Map step(Map report, String name) {
        return report.steps.find { it.name == name } as Map
    }

    @Test
    void runsTheGuideInOrderAndArchivesTheReport() {
        p.answers.addAll(['bob', 'carol'])

        run(config())

        assertThat(p.only(GATES)).containsExactly(
                'migrationPrecheck:orders', 'check:window-orders', 'input:MigrationApproval1', 'input:MigrationApproval2', 'dbBackup:orders',
                'freeze', 'pause:ingestion', 'flywayMigrate:orders', 'verifySchema:orders', 'resume:ingestion',
                'smokeTestApi:portfolio-api', 'checkConsumerLag:prod-kafka', 'check:orders', 'unfreeze',
                'writeFile:migration-report.json', 'archiveArtifacts')
        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('SUCCEEDED')
        assertThat(stepNames(report)).containsExactly('migrationPrecheck', 'maintenanceWindow', 'migrationApproval', 'dbBackup',
                'freezeAutoDeploy', 'pauseConsumers', 'flywayMigrate', 'verifySchema', 'resumeConsumers',
                'smokeTestApi', 'checkConsumerLag', 'splunkErrors', 'unfreezeAutoDeploy')
        assertThat(stepNames(report, 'PASSED')).hasSize(13)
        assertThat(step(report, 'dbBackup').details.file).isEqualTo('/backups/orders-42.dump')
        assertThat(report.pause.stillPaused).isEqualTo(false)
        assertThat(report.pauseWindowMs as long).isGreaterThanOrEqualTo(0L)
        assertThat(p.archived[0].artifacts).isEqualTo('migration-report.json')
        assertThat(report.lagSamples*.totalLag).containsExactly(420, 3)
        assertThat(report.lagSamples*.at).containsExactly('2026-11-26T10:00:00Z', '2026-11-26T10:00:20Z')
        assertThat(p.notifications*.event).containsExactly('waiting-for-approval', 'started', 'succeeded')
        // the plugin steps got target ids and the configured arguments, never connection details
        assertThat(p.calls('flywayMigrate')[0].args).isEqualTo([database: 'orders'])
        assertThat(p.calls('withConsumersPaused')[0].args).containsEntry('resumeOnFailure', false)
        assertThat(p.calls('withAutoDeployFrozen')[0].args).isEqualTo([jobs: ['deploy/auto-*']])
    }

    @Test
    void theApprovalGateShowsThePlanAndRecordsDistinctApproversButNotTheBuilder() {
        // alice started the build: her answer does not count
        p.answers.addAll(['alice', 'bob', 'bob', 'carol'])

        run(config())

        String shown = p.inputs[0].message
        assertThat(shown).contains('V7 add column status to processed_events [locking]')
                .contains('classification locking').contains('Consumers will be PAUSED: ALTER TABLE processed_events')
                .contains('Needs approval: breaking change')
        assertThat(p.inputs[0].submitter).isEqualTo('bob,carol')
        assertThat(p.inputsOnNode).containsOnly(false)
        Map report = p.json('migration-report.json')
        assertThat(report.approvals*.approver).containsExactly('bob', 'carol')
        assertThat(report.approvals*.gate).containsOnly('migrationApproval')
        assertThat(report.facts.refusedApprovals*.user).containsExactly('alice', 'bob')
    }

    @Test
    void skipsThePauseWhenThePlanSaysItIsNotNeededAndSaysWhy() {
        p.stepResults.migrationPrecheck = [passed: true, classification: 'non-breaking', pauseNeeded: false,
                                           pauseReason: 'only an added nullable column and a concurrent index',
                                           pending: [[version: '8', description: 'add nullable column note']]]
        p.answers.addAll(['bob', 'carol'])

        run(config())

        assertThat(p.calls('withConsumersPaused')).isEmpty()
        assertThat(p.only(GATES)).containsSubsequence('freeze', 'flywayMigrate:orders', 'verifySchema:orders',
                'smokeTestApi:portfolio-api', 'unfreeze')
        assertThat(p.inputs[0].message).contains('No pause needed: only an added nullable column')
        Map report = p.json('migration-report.json')
        assertThat(step(report, 'pauseConsumers')).containsEntry('status', 'SKIPPED')
        assertThat(step(report, 'pauseConsumers').reason as String).isEqualTo('not needed: only an added nullable column and a concurrent index')
        assertThat(step(report, 'resumeConsumers').status).isEqualTo('SKIPPED')
        assertThat(report.pauseWindowMs).isEqualTo(0)
        assertThat(report.pause).isNull()
        assertThat(report.status).isEqualTo('SUCCEEDED')
    }

    @Test
    void aPlanThatDoesNotSayPausesToBeSafe() {
        p.stepResults.migrationPrecheck = [passed: true, pending: [[version: '9', description: 'rename column']]]
        p.answers.addAll(['bob', 'carol'])

        run(config())

        assertThat(p.calls('withConsumersPaused')).hasSize(1)
        assertThat(step(p.json('migration-report.json'), 'pauseConsumers').details.reason as String).contains('pausing to be safe')
    }

    @Test
    void forwardFixStopsAndLeavesConsumersPaused() {
        p.stepResults.flywayMigrate = new IllegalStateException('V7__add_status.sql failed: SQLSTATE 55P03 lock timeout')
        p.answers.addAll(['bob', 'carol', [action: 'forward-fix', decidedBy: 'dave']])

        Map report = runFailing(config())

        assertThat(p.only(GATES)).containsExactly('migrationPrecheck:orders', 'check:window-orders', 'input:MigrationApproval1',
                'input:MigrationApproval2', 'dbBackup:orders', 'freeze', 'pause:ingestion', 'flywayMigrate:orders',
                'input:MigrationFailed_orders', 'unfreeze', 'writeFile:migration-report.json', 'archiveArtifacts')
        Map gate = p.inputs[2]
        assertThat(gate.submitter).isEqualTo('dba-oncall')
        assertThat(gate.parameters[0].choices).containsExactly('forward-fix', 'restore', 'resume')
        assertThat(gate.message as String).contains('failed at flywayMigrate').contains('SQLSTATE 55P03').contains('Consumers are PAUSED')
        assertThat(p.inputsOnNode).containsOnly(false)
        assertThat(p.calls('resumeConsumers')).isEmpty()
        assertThat(p.calls('dbRestore')).isEmpty()
        assertThat(report.status).isEqualTo('FAILED')
        assertThat(step(report, 'flywayMigrate')).containsEntry('status', 'FAILED')
        assertThat(step(report, 'flywayMigrate').reason as String).contains('SQLSTATE 55P03')
        assertThat(report.pause.stillPaused).isEqualTo(true)
        assertThat(report.approvals.last()).containsEntry('gate', 'failure:orders').containsEntry('approver', 'dave')
                .containsEntry('decision', 'forward-fix')
        assertThat(report.nextActions.join('\n')).contains('STILL PAUSED')
                .contains('fix the migration and rerun this pipeline: the rerun takes over the pause and resumes at the end')
                .contains("resumeConsumers(controller: 'ingestion')").contains('/backups/orders-42.dump')
        assertThat(gate.message as String).contains('forward-fix (stop here; fix the migration and rerun this pipeline: the rerun '
                + 'takes over the pause and resumes at the end)')
        assertThat(gate.parameters[0].description as String).contains('the rerun takes over the pause and resumes at the end')
        assertThat(p.notifications*.event).endsWith('failed')
        assertThat(p.notifications.last().text as String).contains('the rerun takes over the pause and resumes at the end')
    }

    static String pauseLeftBy(String build, String status = 'PAUSED') {
        return """{"version":1,"status":"${status}","pauseRequestedAt":"2026-11-26T09:00:00Z",""" +
                """"pauseVerifiedAt":"2026-11-26T09:00:04Z","pausedBy":"${build}","controllers":[]}"""
    }

    @Test
    void theRerunAfterAForwardFixCallsThePauseSoThePluginTakesItOverEvenWhenItsPlanNeedsNone() {
        // the forward-fix build left the consumers paused; the fix itself needs no pause
        p.agentFiles['.runbook/consumers/consumers-state.json'] = pauseLeftBy('release #41 (release#41)')
        p.stepResults.migrationPrecheck = [passed: true, classification: 'non-breaking', pauseNeeded: false,
                                           pauseReason: 'only an added nullable column',
                                           pending: [[version: '8', description: 'fix status default']]]
        p.answers.addAll(['bob', 'carol'])

        run(config())

        // withConsumersPaused is called, so the plugin takes the pause over (verified from Kafka) and resumes at the end
        assertThat(p.calls('withConsumersPaused')).hasSize(1)
        assertThat(p.only(GATES)).containsSubsequence('freeze', 'pause:ingestion', 'flywayMigrate:orders', 'verifySchema:orders',
                'resume:ingestion', 'unfreeze')
        assertThat(p.calls('fileExists')[0].args.file).isEqualTo('.runbook/consumers/consumers-state.json')
        assertThat(p.calls('fileExists')[0].workspace).isEqualTo(p.calls('flywayMigrate')[0].workspace)
        Map report = p.json('migration-report.json')
        assertThat(report.status).isEqualTo('SUCCEEDED')
        Map pause = step(report, 'pauseConsumers')
        assertThat(pause.status).isEqualTo('PASSED')
        assertThat(pause.details.reason as String).contains('the pause an earlier build left')
                .contains('by release #41 (release#41)').contains('taken over and resumed at the end')
                .contains('this plan alone needs none: only an added nullable column')
        assertThat(pause.details.takenOver).containsEntry('pausedBy', 'release #41 (release#41)')
                .containsEntry('pausedAt', '2026-11-26T09:00:00Z').containsEntry('status', 'PAUSED')
        // the pause window counts from the first pause, as with runbook run
        assertThat(report.pause.requestedAt).isEqualTo('2026-11-26T09:00:00Z')
        assertThat(report.pause.stillPaused).isEqualTo(false)
        assertThat(step(report, 'resumeConsumers').status).isEqualTo('PASSED')
    }

    @Test
    void aPauseThePluginRefusesToTakeOverStopsBeforeTheMigrationAndSaysWhatToDo() {
        p.agentFiles['.runbook/consumers/consumers-state.json'] = pauseLeftBy('release #41')
        // what the plugin throws when Kafka shows the consumers were resumed by hand (NOT_ADOPTED)
        Closure refuse = { Map args, Closure body ->
            p.stepCalls << [step: 'withConsumersPaused', args: args]
            throw new IllegalStateException('[pauseConsumers] check failed: the pause state .runbook/consumers/consumers-state.json '
                    + 'says [persistence-service] are paused since 2026-11-26T09:00:00Z, but Kafka shows they are not')
        }
        p.base.helper.registerAllowedMethod('withConsumersPaused', [Map, Closure], refuse)
        p.answers.addAll(['bob', 'carol'])

        Map report = runFailing(config())

        assertThat(p.calls('flywayMigrate')).isEmpty()
        assertThat(step(report, 'pauseConsumers').status).isEqualTo('FAILED')
        assertThat(step(report, 'pauseConsumers').reason as String).contains('Kafka shows they are not')
        assertThat(report.nextActions.join('\n')).contains('was not taken over and nothing was migrated')
                .contains("resumeConsumers(controller: 'ingestion'").doesNotContain('the plugin resumes what it paused')
        assertThat(p.inputs).hasSize(2) // no failure gate: nothing changed
    }

    @Test
    void thePauseStateIsLookedUpInTheConfiguredStateDirAndAResumedOneIsLeftAlone() {
        p.agentFiles['/var/lib/runbook/consumers/ingestion/consumers-state.json'] = pauseLeftBy('release #41', 'RESUMED')
        p.stepResults.migrationPrecheck = [passed: true, classification: 'non-breaking', pauseNeeded: false,
                                           pauseReason: 'only an added nullable column',
                                           pending: [[version: '8', description: 'add nullable column note']]]
        p.answers.addAll(['bob', 'carol'])

        run(config(consumers: [controller: 'ingestion', stateDir: '/var/lib/runbook/consumers/ingestion']))

        assertThat(p.calls('fileExists')[0].args.file).isEqualTo('/var/lib/runbook/consumers/ingestion/consumers-state.json')
        assertThat(p.calls('withConsumersPaused')).isEmpty()
        assertThat(step(p.json('migration-report.json'), 'pauseConsumers').status).isEqualTo('SKIPPED')
    }

    @Test
    void restoreRestoresTheBackupThenRedeploysThePreviousVersionWhileStillFrozen() {
        p.stepResults.verifySchema = [passed: false, reason: 'column processed_events.status is missing']
        p.answers.addAll(['bob', 'carol', [action: 'restore', decidedBy: 'dave']])

        Map report = runFailing(config())

        assertThat(p.only(GATES)).containsSubsequence('flywayMigrate:orders', 'verifySchema:orders',
                'input:MigrationFailed_orders', 'dbRestore:orders', 'build:deploy/release', 'unfreeze')
        assertThat(p.calls('dbRestore')[0].args).isEqualTo([database: 'orders', backup: '/backups/orders-42.dump', replace: true])
        // where the backup was taken, after waiting for the decision outside node {}
        assertThat(p.calls('dbRestore')[0].workspace).isEqualTo(p.calls('dbBackup')[0].workspace)
        assertThat(p.calls('dbRestore')[0].agent).isEqualTo(p.calls('dbBackup')[0].agent)
        assertThat(p.builds[0].job).isEqualTo('deploy/release')
        assertThat(p.builds[0].parameters[0]).containsEntry('name', 'VERSION').containsEntry('value', '1.41.0')
        assertThat(p.calls('resumeConsumers')).isEmpty()
        assertThat(step(report, 'verifySchema').reason).isEqualTo('column processed_events.status is missing')
        assertThat(stepNames(report, 'PASSED')).contains('dbRestore', 'redeployPreviousVersion')
        assertThat(report.nextActions.join('\n')).contains('STILL PAUSED after the restore')
    }

    @Test
    void resumeResumesTheConsumersAndStops() {
        p.stepResults.flywayMigrate = new IllegalStateException('V7 failed')
        p.answers.addAll(['bob', 'carol', [action: 'resume', decidedBy: 'dave']])

        Map report = runFailing(config())

        assertThat(p.only(GATES)).containsSubsequence('input:MigrationFailed_orders', 'resumeConsumers:ingestion', 'unfreeze')
        assertThat(p.calls('resumeConsumers')[0].args).isEqualTo([controller: 'ingestion'])
        // the plugin keeps the pause state in the workspace: the resume runs in the one that paused
        assertThat(p.calls('resumeConsumers')[0].workspace).isEqualTo(p.calls('flywayMigrate')[0].workspace)
        assertThat(p.inputsOnNode).containsOnly(false)
        assertThat(p.calls('dbRestore')).isEmpty()
        assertThat(p.builds).isEmpty()
        assertThat(report.pause.stillPaused).isEqualTo(false)
        assertThat(report.nextActions.join('\n')).contains('forward-fix migration')
    }

    @Test
    void aFailedResumeOffersTheGateAndResumeThereSaysTheMigrationPassed() {
        p.resumeFailures.add(new IllegalStateException("resume of controller 'ingestion' failed: broker timeout"))
        p.answers.addAll(['bob', 'carol', [action: 'resume', decidedBy: 'dave']])

        Map report = runFailing(config())

        assertThat(p.only(GATES)).containsSubsequence('input:MigrationFailed_orders', 'resumeConsumers:ingestion', 'unfreeze')
        assertThat(p.inputs[2].parameters[0].choices).containsExactly('forward-fix', 'restore', 'resume')
        assertThat(p.inputs[2].message as String).contains('failed at resumeConsumers').contains('Consumers are PAUSED')
        assertThat(p.inputsOnNode).containsOnly(false)
        assertThat(report.steps.findAll { it.name == 'resumeConsumers' }.collect { it.status }).containsExactly('FAILED', 'PASSED')
        assertThat(report.pause.stillPaused).isEqualTo(false)
        assertThat(report.nextActions.join('\n')).contains('orders: migrated and verified').doesNotContain('forward-fix migration')
    }

    @Test
    void aFailureAfterTheResumeDoesNotOfferToResumeAgain() {
        p.stepResults.smokeTestApi = new IllegalStateException('GET /portfolios/1001/positions answered 500 (X-Correlation-ID TEST:1)')
        p.answers.addAll(['bob', 'carol', [action: 'forward-fix', decidedBy: 'dave']])

        Map report = runFailing(config())

        assertThat(p.inputs[2].parameters[0].choices).containsExactly('forward-fix', 'restore')
        assertThat(p.inputs[2].message as String).contains('failed at smokeTestApi').contains('Consumers are not paused')
        assertThat(step(report, 'smokeTestApi').status).isEqualTo('FAILED')
        assertThat(report.nextActions.join('\n')).doesNotContain('STILL PAUSED')
    }

    @Test
    void nobodyAnsweringTheFailureGateMeansForwardFix() {
        p.stepResults.flywayMigrate = new IllegalStateException('V7 failed')
        p.answers.addAll(['bob', 'carol', new InterruptedException('timeout')])

        Map report = runFailing(config())

        assertThat(p.calls('dbRestore')).isEmpty()
        assertThat(p.calls('resumeConsumers')).isEmpty()
        assertThat(report.approvals.last()).containsEntry('decision', 'forward-fix')
        assertThat(report.approvals.last().approver as String).contains('nobody in time')
        assertThat(p.timeouts.last()).isEqualTo([time: 15, unit: 'MINUTES'])
    }

    @Test
    void onFailureDecidesWithoutAskingForUnattendedRuns() {
        p.stepResults.flywayMigrate = new IllegalStateException('V7 failed')
        p.answers.addAll(['bob', 'carol'])

        runFailing(config(onFailure: 'restore'))

        assertThat(p.inputs).hasSize(2)
        assertThat(p.calls('dbRestore')).hasSize(1)
        assertThat(p.builds).hasSize(1)
    }

    @Test
    void aFailedPrecheckChangesNothing() {
        p.stepResults.migrationPrecheck = [passed: false, reason: 'V7 sorts before the applied V8 (out of order)', pending: []]

        Map report = runFailing(config())

        assertThat(p.only(GATES)).containsExactly('migrationPrecheck:orders', 'writeFile:migration-report.json', 'archiveArtifacts')
        assertThat(step(report, 'migrationPrecheck').reason).isEqualTo('V7 sorts before the applied V8 (out of order)')
        assertThat(report.nextActions[0] as String).startsWith('Nothing was changed')
    }

    @Test
    void aPauseThePlanNeedsWithoutConsumersConfiguredFailsBeforeAnyoneIsAsked() {
        Map cfg = config()
        cfg.remove('consumers')

        Map report = runFailing(cfg)

        assertThat(p.inputs).isEmpty()
        assertThat(p.stepCalls*.step).containsExactly('migrationPrecheck')
        assertThat(step(report, 'productionMigration').reason as String).contains('database orders: the plan says consumers must be paused')
                .contains('no consumers are configured')
    }

    @Test
    void aPlanThatNeedsApprovalCannotRunWithApprovalOff() {
        Map report = runFailing(config(approval: false))

        assertThat(p.stepCalls*.step).containsExactly('migrationPrecheck')
        assertThat(step(report, 'productionMigration').reason as String).contains('the plan needs an approval (breaking change needs an explicit approval)')
    }

    @Test
    void approvalOffRunsWithoutAGateWhenNoPlanAsksForOne() {
        p.stepResults.migrationPrecheck = [passed: true, pauseNeeded: false, pending: [[version: '8', description: 'add nullable column']]]

        Map result = run(config(approval: false))

        assertThat(p.inputs).isEmpty()
        assertThat(step(result, 'migrationApproval').status).isEqualTo('SKIPPED')
        assertThat(p.calls('flywayMigrate')).hasSize(1)
    }

    @Test
    void nothingPendingSkipsApprovalAndBackup() {
        p.stepResults.migrationPrecheck = [passed: true, pending: [], pauseNeeded: false]

        Map result = run(config())

        assertThat(p.inputs).isEmpty()
        assertThat(p.calls('dbBackup')).isEmpty()
        assertThat(result.status).isEqualTo('SUCCEEDED')
        assertThat(step(result, 'flywayMigrate').reason).isEqualTo('no pending migrations')
    }

    @Test
    void anAbortedApprovalChangesNothingAndIsInTheReport() {
        p.answers.addAll(['bob', new InterruptedException('aborted by carol')])

        Throwable e = p.runFailing('releaseRunbook', [runbookConfig: config(), useChecks: true])

        assertThat(e).isInstanceOf(InterruptedException)
        assertThat(p.calls('dbBackup')).isEmpty()
        Map report = p.json('migration-report.json')
        assertThat(step(report, 'migrationApproval').reason as String).contains('nothing was changed')
    }

    @Test
    void flywayPlaceholdersReachPrecheckAndMigrateAlike() {
        p.answers.addAll(['bob', 'carol'])

        run(config(placeholders: [schema: 'app', limit: 10], migrate: [placeholders: [app_role: 'app_reader'], lockRetries: 3]))

        assertThat(p.calls('migrationPrecheck')[0].args).isEqualTo([database: 'orders', placeholders: [schema: 'app', limit: '10']])
        assertThat(p.calls('flywayMigrate')[0].args).isEqualTo([database: 'orders', lockRetries: 3,
                                                                 placeholders: [schema: 'app', limit: '10', app_role: 'app_reader']])
        assertThat(p.calls('verifySchema')[0].args).doesNotContainKey('placeholders')
    }

    @Test
    void refusesBadPlaceholdersBeforeAnyStep() {
        Throwable notAMap = p.runFailing('releaseRunbook', [runbookConfig: config(placeholders: 'schema=app'), useChecks: false])
        assertThat(notAMap.message).contains('placeholders must be a map of Flyway placeholder values')
        Throwable badName = p.runFailing('releaseRunbook', [runbookConfig: config(placeholders: ['my schema': 'app']), useChecks: false])
        assertThat(badName.message).contains("'my schema' is not a Flyway placeholder name")
        assertThat(p.stepCalls).isEmpty()
    }

    @Test
    void refusesUnknownSettingsAndAFrozenDeployJobBeforeAnyStep() {
        Throwable typo = p.runFailing('releaseRunbook', [runbookConfig: config(parallelsm: 2), useChecks: false])
        assertThat(typo.message).contains('unknown setting(s) parallelsm')

        Throwable frozen = p.runFailing('releaseRunbook', [runbookConfig: config(freezeJobs: ['deploy/**']), useChecks: false])
        assertThat(frozen.message).contains('deployJob deploy/release matches freezeJobs')

        assertThat(p.stepCalls).isEmpty()
    }

    @Test
    void aNotificationThatFailsNeverFailsTheMigration() {
        p.answers.addAll(['bob', 'carol'])
        p.base.helper.registerAllowedMethod('mail', [Map]) { Map m -> throw new IOException('SMTP server unreachable') }

        Map result = run(config(mailTo: 'ops@example.com'))

        assertThat(result.status).isEqualTo('SUCCEEDED')
        assertThat(p.log.join('\n')).contains('could not notify through mail: SMTP server unreachable')
    }

    @Test
    void aFailedWebhookFromACredentialIsLoggedWithoutItsUrl() {
        p.answers.addAll(['bob', 'carol'])
        String url = 'https://hooks.example.com/services/T000/B000/s3cr3tT0k3n'
        p.base.helper.registerAllowedMethod('withCredentials', [List, Closure]) { List bindings, Closure body ->
            p.env.RUNBOOK_WEBHOOK_URL = url
            try {
                return p.base.helper.callClosure(body)
            } finally {
                p.env.remove('RUNBOOK_WEBHOOK_URL')
            }
        }
        p.base.helper.registerAllowedMethod('httpRequest', [Map]) { Map m -> throw new IOException("Connection refused: ${m.url}") }

        Map result = run(config(webhookCredentialsId: 'slack-webhook'))

        assertThat(result.status).isEqualTo('SUCCEEDED')
        assertThat(p.log.join('\n')).contains('could not notify through webhook: Connection refused: ****')
                .doesNotContain('s3cr3tT0k3n')
    }

    @Test
    void mailUsesTheLibrarysTemplate() {
        p.answers.addAll(['bob', 'carol'])

        run(config(mailTo: 'ops@example.com'))

        Map mail = p.notifications.find { it.via == 'mail' && it.subject.contains('succeeded') }
        assertThat(mail.to).isEqualTo('ops@example.com')
        assertThat(mail.body as String).startsWith('Production migration: succeeded')
                .contains('Build: https://jenkins.example/job/release/42/').doesNotContain('${')
    }

    @Test
    void everyAgentWorkspaceGetsTheMigrationsBeforeTheSteps() {
        p.answers.addAll(['bob', 'carol'])

        run(config(unstash: 'migrations', migrate: [locations: 'filesystem:db/migration']))

        assertThat(p.only('unstash', 'migrationPrecheck', 'dbBackup', 'flywayMigrate')).containsExactly(
                'unstash:migrations', 'migrationPrecheck:orders', 'unstash:migrations', 'dbBackup:orders',
                'unstash:migrations', 'flywayMigrate:orders')
        assertThat(p.calls('flywayMigrate')[0].args).isEqualTo([database: 'orders', locations: 'filesystem:db/migration'])
    }

    @Test
    void aFailedPreCheckStopsBeforeTheApproval() {
        p.checkResults['window-orders'] = [passed: false, reason: 'the maintenance window Mon-Fri 22:00-02:00 Europe/Berlin is closed']

        Map report = runFailing(config())

        assertThat(p.inputs).isEmpty()
        assertThat(p.calls('dbBackup')).isEmpty()
        assertThat(step(report, 'maintenanceWindow').reason as String).contains('window Mon-Fri 22:00-02:00')
        assertThat(report.nextActions[0] as String).startsWith('Nothing was changed')
    }

    @Test
    void consumersTakeOnlyThePluginsParametersAndAreRefusedBeforeAnyStepOtherwise() {
        Throwable groups = p.runFailing('releaseRunbook', [runbookConfig: config(consumers: [controller: 'ingestion', groups: ['persistence-service']]),
                                                           useChecks: false])
        assertThat(groups.message).contains('consumers of database orders: unknown parameter(s) groups')
                .contains('withConsumersPaused takes controller, stateDir, adoptExistingPause, resumeOnFailure')
        Throwable resume = p.runFailing('releaseRunbook', [runbookConfig: config(consumers: [controller: 'ingestion', resumeOnFailure: true]),
                                                           useChecks: false])
        assertThat(resume.message).contains('resumeOnFailure: true would resume the consumers on a half-migrated schema')
        assertThat(p.stepCalls).isEmpty()
    }

    @Test
    void resumeConsumersGetsOnlyTheControllerAndTheStateDir() {
        p.stepResults.flywayMigrate = new IllegalStateException('V7 failed')
        p.answers.addAll(['bob', 'carol', [action: 'resume', decidedBy: 'dave']])
        Map consumers = [controller: 'ingestion', stateDir: '/var/lib/runbook/consumers/ingestion', adoptExistingPause: false]

        Map report = runFailing(config(consumers: consumers))

        assertThat(p.calls('withConsumersPaused')[0].args).isEqualTo(consumers + [resumeOnFailure: false])
        assertThat(p.calls('resumeConsumers')[0].args).isEqualTo([controller: 'ingestion', stateDir: '/var/lib/runbook/consumers/ingestion'])
        assertThat(step(report, 'resumeConsumers').status).isEqualTo('PASSED')
    }
}
