package io.migrationrunbook.pipeline

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat

/** migrationApproval: N distinct approvers, the builder refused, duplicates refused, timeout, outside node. */
class MigrationApprovalTest {

    Pipeline p

    boolean cps() {
        false
    }

    @BeforeEach
    void setUp() {
        p = Pipeline.fresh(cps())
        p.build.startedBy('carol')
    }

    Map gate(Map args) {
        return p.run('approvalGate', [approvalArgs: args]) as Map
    }

    @Test
    void twoDistinctApproversAreCollectedEachThroughItsOwnInput() {
        p.answers.addAll(['alice', 'bob'])

        Map result = gate(message: 'Migrate orders?', submitters: ['alice', 'bob', 'dave'], approvals: 2, timeoutMinutes: 30)

        assertThat(result.approvals*.user).containsExactly('alice', 'bob')
        result.approvals*.at.each { assert (it as String) ==~ /\d{4}-\d\d-\d\dT.*Z/ }
        assertThat(p.inputs*.id).containsExactly('MigrationApproval1', 'MigrationApproval2')
        assertThat(p.inputs*.submitterParameter).containsOnly('approver')
        assertThat(p.inputs[0].message as String).contains('Migrate orders?').contains('approval 1 of 2')
        assertThat(p.timeouts).containsExactly([time: 30, unit: 'MINUTES'])
        assertThat(p.env.MIGRATION_APPROVERS).isEqualTo('alice,bob')
        assertThat(result.builder).isEqualTo('carol')
    }

    @Test
    void theBuilderIsNeverOfferedTheGateAndIsRefusedIfAnAdminOverrideLetsThemAnswer() {
        // carol started the build: the submitter list shown to Jenkins leaves her out...
        p.answers.addAll(['carol', 'alice', 'bob'])

        Map result = gate(submitters: 'alice,carol,bob', approvals: 2)

        assertThat(p.inputs[0].submitter).isEqualTo('alice,bob')
        // ...and when she answers anyway (administrators can always approve), her answer does not count
        assertThat(result.refused*.user).containsExactly('carol')
        assertThat(result.refused[0].reason as String).contains('separation of duties')
        assertThat(result.approvals*.user).containsExactly('alice', 'bob')
        assertThat(p.inputs*.id).doesNotHaveDuplicates().hasSize(3)
    }

    @Test
    void theSameApproverTwiceCountsOnceAndIsNotOfferedTheNextInput() {
        p.answers.addAll(['alice', 'ALICE', 'bob'])

        Map result = gate(submitters: ['alice', 'bob', 'dba-team'], approvals: 2)

        assertThat(p.inputs[1].submitter).isEqualTo('bob,dba-team')
        assertThat(result.refused*.user).containsExactly('ALICE')
        assertThat(result.refused[0].reason as String).contains('already approved')
        assertThat(result.approvals*.user).containsExactly('alice', 'bob')
    }

    @Test
    void theAnswerCanBeAMapHoldingTheSubmitterParameter() {
        p.answers.addAll([[approver: 'alice', comment: 'ok']])

        Map result = gate(submitters: ['alice'], approvals: 1)

        assertThat(result.approvals*.user).containsExactly('alice')
    }

    @Test
    void failsWhenNobodyEligibleIsLeftInsteadOfOpeningTheGateToAnyone() {
        p.answers.addAll(['alice'])

        Throwable e = p.runFailing('approvalGate', [approvalArgs: [submitters: ['alice', 'carol'], approvals: 2]])

        assertThat(e.message).contains('nobody eligible is left')
        assertThat(p.inputs).hasSize(1)
    }

    @Test
    void givesUpAfterMaxAttemptsOfRefusedAnswers() {
        p.answers.addAll(['carol', 'carol', 'carol'])

        Throwable e = p.runFailing('approvalGate', [approvalArgs: [submitters: ['alice', 'dba-team'], approvals: 1, maxAttempts: 3]])

        assertThat(e.message).contains('3 answers gave 0 of 1 valid approvals').contains('separation of duties')
    }

    @Test
    void strictSubmittersRefusesAnAdministratorWhoIsNotListed() {
        p.answers.addAll(['root', 'alice'])

        Map result = gate(submitters: ['alice'], approvals: 1, strictSubmitters: true)

        assertThat(result.refused*.user).containsExactly('root')
        assertThat(result.approvals*.user).containsExactly('alice')
    }

    @Test
    void aBuildStartedByNoUserHasNoBuilderToRefuse() {
        p.build.startedByTimer()
        p.answers.addAll(['carol'])

        Map result = gate(submitters: ['carol'], approvals: 1)

        assertThat(result.builder).isNull()
        assertThat(result.approvals*.user).containsExactly('carol')
    }

    @Test
    void refusesToWaitInsideNodeBecauseThatHoldsAnExecutor() {
        Throwable e = p.runFailing('approvalInsideNode', [approvalArgs: [submitters: ['alice'], approvals: 1]])

        assertThat(e.message).contains('inside node {}').contains('agent none')
        assertThat(p.inputs).isEmpty()
    }

    @Test
    void rejectsAnEmptySubmitterListBeforeShowingAnything() {
        Throwable e = p.runFailing('approvalGate', [approvalArgs: [submitters: [], approvals: 1]])

        assertThat(e.message).contains('submitters is empty')
        assertThat(p.inputs).isEmpty()
    }

    @Test
    void anAbortedInputStopsTheGate() {
        p.answers.addAll(['alice', new InterruptedException('aborted by bob')])

        Throwable e = p.runFailing('approvalGate', [approvalArgs: [submitters: ['alice', 'bob'], approvals: 2]])

        assertThat(e).isInstanceOf(InterruptedException)
        assertThat(p.env.MIGRATION_APPROVERS).isNull()
    }
}
