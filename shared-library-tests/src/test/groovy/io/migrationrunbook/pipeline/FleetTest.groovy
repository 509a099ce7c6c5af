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
}
