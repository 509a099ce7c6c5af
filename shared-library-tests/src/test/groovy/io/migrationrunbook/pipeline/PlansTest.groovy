package io.migrationrunbook.pipeline

import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat

/** Reading migrationPrecheck's plan: the library's field names and the engine's (migrate plan, release classification). */
class PlansTest {

    static Class plans

    @BeforeAll
    static void load() {
        GroovyClassLoader library = new GroovyClassLoader(PlansTest.classLoader)
        library.addClasspath(new File(ProjectRootLibrary.locate(), 'src').path)
        plans = library.loadClass('io.migrationrunbook.pipeline.Plans')
    }

    /** Shaped like the engine's records: MigrationPlan.pending and ReleaseClassification as Jackson writes them. */
    static Map engineShaped(boolean mustPause) {
        return [database      : 'orders', currentVersion: '6',
                pending       : [[version: '7', description: 'add status to processed events'],
                                 [version: '8', description: 'index status concurrently']],
                classification: [classes           : ['NON_BREAKING', 'LOCKING'], consumersMustPause: mustPause,
                                 pauseReasons      : mustPause ? ['V7__status.sql:1 ALTER TABLE processed_events ADD COLUMN status NOT NULL DEFAULT now()'] : [],
                                 migrations        : [[version: '7', classes: ['LOCKING']], [version: '8', classes: ['NON_BREAKING']]]]]
    }

    @Test
    void readsTheEnginesReleaseClassification() {
        Map plan = engineShaped(true)

        assertThat(plans.pauseNeeded(plan)).isTrue()
        assertThat(plans.pauseReason(plan) as String).startsWith('V7__status.sql:1 ALTER TABLE')
        assertThat(plans.classification(plan) as String).isEqualTo('non_breaking, locking')
        assertThat(plans.pending(plan)).hasSize(2)
        String shown = plans.describe([[id: 'orders']], [orders: plan])
        assertThat(shown).contains('V7 add status to processed events [locking]').contains('V8 index status concurrently [non_breaking]')
                .contains('Consumers will be PAUSED')
    }

    @Test
    void anAdditiveReleaseNeedsNoPause() {
        Map plan = engineShaped(false)

        assertThat(plans.pauseNeeded(plan)).isFalse()
        assertThat(plans.pauseReason(plan) as String).isEqualTo('the plan says no change affects the write path')
    }

    @Test
    void readsTheLibrarysOwnNamesNestedOrNot() {
        Map plan = [plan: [pauseNeeded: false, pauseReason: 'additive only', classification: 'non-breaking',
                           pending: [[version: '3', description: 'x', classification: 'non-breaking']]]]

        assertThat(plans.pauseNeeded(plan)).isFalse()
        assertThat(plans.pauseReason(plan)).isEqualTo('additive only')
        assertThat(plans.pending(plan)).hasSize(1)
        assertThat(plans.passed(plan)).isTrue()
        assertThat(plans.passed([status: 'refused'])).isFalse()
        assertThat(plans.passed([passed: false])).isFalse()
    }

    @Test
    void silenceMeansPause() {
        assertThat(plans.pauseNeeded([pending: [[version: '1']]])).isTrue()
        assertThat(plans.pauseReason([pending: []]) as String).contains('pausing to be safe')
    }

    @Test
    void readsAPauseStateAnEarlierBuildLeft() {
        String paused = '{"version":1,"status":"PAUSED","pauseRequestedAt":"2026-11-26T09:00:00Z","pausedBy":"release #41 (release#41)"}'
        Map left = plans.leftPause(paused, '/s/consumers-state.json') as Map
        assertThat(left).isEqualTo([stateFile: '/s/consumers-state.json', status: 'PAUSED', pausedAt: '2026-11-26T09:00:00Z',
                                    pausedBy : 'release #41 (release#41)'])
        assertThat(plans.describeLeftPause(left) as String)
                .isEqualTo('status PAUSED since 2026-11-26T09:00:00Z by release #41 (release#41), /s/consumers-state.json')
        assertThat(plans.leftPauseMillis(left)).isEqualTo(java.time.Instant.parse('2026-11-26T09:00:00Z').toEpochMilli())
        // a resumed state is not left behind; one that cannot be read is, for the plugin to refuse with its message
        assertThat(plans.leftPause('{"status":"RESUMED"}', 'f')).isNull()
        assertThat((plans.leftPause('{not json', 'f') as Map).status).isEqualTo('unreadable')
        assertThat(plans.leftPauseMillis([status: 'unreadable'])).isNull()
    }
}
